import { DownbeatError } from './downbeat-error.ts';

/**
 * Where a failed object-store request went, for messages. Never holds a secret: the endpoint is
 * shown without user info or query, and credentials are never part of it.
 */
export interface ObjectStoreTarget {
  /** The bucket (S3) or root the store reads. */
  readonly bucket: string;
  /** The full key in the bucket (the store's prefix included), when the request named one. */
  readonly key?: string;
  /** The server asked, e.g. `http://127.0.0.1:9000` or `AWS S3 (us-west-2)`. */
  readonly endpoint: string;
}

/**
 * A request to an object store that failed for a reason a person must act on. The subclasses'
 * codes are stable: `object_store_auth`, `object_store_not_found`, `object_store_unreachable`,
 * `object_store_unavailable`; anything else the server refused is `object_store_request`.
 */
export class ObjectStoreError extends DownbeatError {
  readonly bucket: string;
  readonly key: string | undefined;
  readonly endpoint: string;

  constructor(code: string, target: ObjectStoreTarget, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.bucket = target.bucket;
    this.key = target.key;
    this.endpoint = target.endpoint;
  }
}

/** `s3://bucket/key at endpoint`, the object (or bucket) a message is about. */
export function describeTarget(target: ObjectStoreTarget): string {
  return `s3://${target.bucket}/${target.key ?? ''} at ${target.endpoint}`;
}

/** The server refused the credentials (403, a bad signature, an unknown or expired key, none found). Permanent. */
export class ObjectStoreAuthError extends ObjectStoreError {
  constructor(target: ObjectStoreTarget, reason: string, options?: { cause?: unknown }) {
    super(
      'object_store_auth',
      target,
      `access to ${describeTarget(target)} was refused (${reason}): check the connection's ` +
        `access_key_id and secret_access_key (or the AWS credentials this process finds), and that ` +
        `they may read bucket "${target.bucket}"`,
      options,
    );
  }
}

/**
 * The bucket does not exist at this endpoint (404 NoSuchBucket). Permanent. A missing key is
 * ObjectKeyNotFoundError. Its code stays `object_store_not_found`, from when the class was
 * ObjectStoreNotFoundError: codes are stored in the metadata DB and shown.
 */
export class BucketNotFoundError extends ObjectStoreError {
  constructor(target: ObjectStoreTarget, options?: { cause?: unknown }) {
    super(
      'object_store_not_found',
      target,
      `bucket "${target.bucket}" does not exist at ${target.endpoint}` +
        (target.key ? ` (reading ${target.key})` : '') +
        `: check the bucket in the connection's URI (s3://BUCKET/prefix) and its endpoint and region, or create the bucket`,
      options,
    );
  }
}

/** The endpoint could not be reached (refused, reset, timed out, no such host), after the client's retries. */
export class ObjectStoreUnreachableError extends ObjectStoreError {
  constructor(target: ObjectStoreTarget, reason: string, options?: { cause?: unknown }) {
    super(
      'object_store_unreachable',
      target,
      `cannot reach ${describeTarget(target)} (${reason}): check that the server is running and ` +
        `that the connection's endpoint (host and port) is right; the task's retries will try again`,
      options,
    );
  }
}

/** The server answered with a 5xx or throttled the requests, after the client's retries. */
export class ObjectStoreUnavailableError extends ObjectStoreError {
  constructor(target: ObjectStoreTarget, reason: string, options?: { cause?: unknown }) {
    super(
      'object_store_unavailable',
      target,
      `${describeTarget(target)} is unavailable (${reason}): the server is failing or overloaded; ` +
        `the task's retries will try again`,
      options,
    );
  }
}

/** Any other refusal (a 4xx the store does not expect, a redirect to another region). Permanent. */
export class ObjectStoreRequestError extends ObjectStoreError {
  constructor(target: ObjectStoreTarget, reason: string, options?: { cause?: unknown }) {
    super(
      'object_store_request',
      target,
      `${describeTarget(target)} refused the request (${reason}): check the connection's endpoint, ` +
        `region and path_style settings`,
      options,
    );
  }
}
