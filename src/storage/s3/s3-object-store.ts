import {
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import {
  ConfigError,
  DownbeatError,
  ObjectStoreUnreachableError,
  type ObjectStoreTarget,
} from '../../errors/index.ts';
import {
  assertSafeKey,
  ObjectKeyNotFoundError,
  type ObjectBody,
  type ObjectInfo,
  type ObjectStore,
} from '../../ports/index.ts';
import { displayEndpoint, isNoSuchBucket, isNotFound, s3Failure } from './s3-failure.ts';

export interface S3ObjectStoreOptions {
  readonly bucket: string;
  /** Keys of this store live under this prefix in the bucket. @default '' */
  readonly prefix?: string;
  /** An S3-compatible server's URL. @default AWS */
  readonly endpoint?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** Path-style URLs (most non-AWS servers need them). @default true when an endpoint is given */
  readonly forcePathStyle?: boolean;
  /** Static credentials; otherwise the standard AWS chain (environment, profile, instance role). */
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  /**
   * Attempts per request, the first included, for failures that may pass (see RETRY_POLICY).
   * @default 4
   */
  readonly maxAttempts?: number;
}

/**
 * The retry policy, chosen here on purpose:
 *
 * - The SDK's standard mode retries what may pass by itself — connection refused or reset, socket
 *   and connect timeouts, DNS failures, 500/502/503/504, throttling (503 SlowDown, 429) and clock
 *   skew — up to `maxAttempts` (4) attempts with jittered exponential backoff (about 50 ms doubling,
 *   1 s doubling when throttled). Four attempts ride out a restart or a brief overload, and give up
 *   within seconds, so a task never hangs on a dead endpoint.
 * - It never retries a 4xx: wrong credentials (403), a missing bucket or key (404) or a bad request
 *   fail at once, as an ObjectStoreAuthError, BucketNotFoundError, ObjectKeyNotFoundError or
 *   ObjectStoreRequestError (see s3Failure).
 * - Longer outages are the task's business: its retries (minutes apart, set per DAG) try again.
 * - A body that breaks while it is read is not retried here (the response had begun): the read
 *   fails as ObjectStoreUnreachableError naming the key, and the caller's transaction rolls back,
 *   so nothing is half loaded.
 */
const RETRY_POLICY = {
  maxAttempts: 4,
  /** A TCP connection not made in this long counts as a failed attempt (a black-holed host). */
  connectionTimeoutMs: 5_000,
  /** A socket silent this long (no headers, no body bytes) counts as a failed attempt. */
  socketTimeoutMs: 60_000,
} as const;

/**
 * Amazon S3, or any S3-compatible server. Listings are paged (1,000 keys a request), objects are
 * streamed both ways (uploads of unknown length go multipart), and a version is the ETag.
 */
export class S3ObjectStore implements ObjectStore {
  readonly location: string;
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #endpoint: string;

  constructor(options: S3ObjectStoreOptions) {
    this.#bucket = options.bucket;
    this.#prefix = options.prefix ? `${options.prefix.replace(/\/+$/, '')}/` : '';
    this.location = `s3://${options.bucket}/${this.#prefix}`;
    const region = options.region ?? 'us-east-1';
    this.#endpoint = displayEndpoint(options.endpoint, region);
    const config: S3ClientConfig = {
      region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
      // Non-AWS servers often do not implement the newer checksums.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      retryMode: 'standard',
      maxAttempts: options.maxAttempts ?? RETRY_POLICY.maxAttempts,
      requestHandler: {
        connectionTimeout: RETRY_POLICY.connectionTimeoutMs,
        socketTimeout: RETRY_POLICY.socketTimeoutMs,
      },
    };
    if (options.accessKeyId && options.secretAccessKey) {
      config.credentials = { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey };
    }
    this.#client = new S3Client(config);
  }

  /** `s3://bucket/prefix?endpoint=…&region=…&path_style=true&access_key_id=…&secret_access_key=…` */
  static fromUri(uri: string): S3ObjectStore {
    const url = new URL(uri);
    if (!url.hostname)
      throw new ConfigError(
        `object store URI "${uri.replace(/secret_access_key=[^&]*/, 'secret_access_key=***')}" names no bucket`,
      );
    const q = url.searchParams;
    return new S3ObjectStore({
      bucket: url.hostname,
      prefix: decodeURIComponent(url.pathname.replace(/^\/+/, '')),
      endpoint: q.get('endpoint') ?? undefined,
      region: q.get('region') ?? undefined,
      forcePathStyle: q.has('path_style') ? q.get('path_style') === 'true' : undefined,
      accessKeyId: q.get('access_key_id') ?? undefined,
      secretAccessKey: q.get('secret_access_key') ?? undefined,
    });
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    let token: string | undefined;
    do {
      const page = await this.#client
        .send(
          new ListObjectsV2Command({
            Bucket: this.#bucket,
            Prefix: this.#prefix + prefix,
            ContinuationToken: token,
            MaxKeys: 1000,
          }),
        )
        .catch((error: unknown) => {
          throw s3Failure(error, this.#target(`${prefix}*`));
        });
      for (const item of page.Contents ?? []) {
        if (!item.Key) continue;
        yield info(item.Key.slice(this.#prefix.length), item.Size ?? 0, item.LastModified, item.ETag);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    assertSafeKey(key);
    try {
      const head = await this.#client.send(
        new HeadObjectCommand({ Bucket: this.#bucket, Key: this.#prefix + key }),
      );
      return info(key, head.ContentLength ?? 0, head.LastModified, head.ETag);
    } catch (error) {
      if (!isNotFound(error)) throw s3Failure(error, this.#target(key));
      // A HEAD's 404 has no body to say whether the key or the whole bucket is missing.
      await this.#assertBucket(key);
      return undefined;
    }
  }

  async get(key: string): Promise<ObjectBody> {
    assertSafeKey(key);
    try {
      const object = await this.#client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: this.#prefix + key }),
      );
      return {
        info: info(key, object.ContentLength ?? 0, object.LastModified, object.ETag),
        body: guardedBody(object.Body as Readable, (error) => this.#interrupted(error, key)),
      };
    } catch (error) {
      if (isNotFound(error) && !isNoSuchBucket(error)) throw this.#notFound(key);
      throw s3Failure(error, this.#target(key));
    }
  }

  async put(key: string, body: string | Uint8Array | AsyncIterable<Uint8Array>): Promise<ObjectInfo> {
    assertSafeKey(key);
    const upload = new Upload({
      client: this.#client,
      params: {
        Bucket: this.#bucket,
        Key: this.#prefix + key,
        Body: typeof body === 'string' || body instanceof Uint8Array ? body : Readable.from(body),
      },
    });
    try {
      await upload.done();
    } catch (error) {
      // A PUT's 404 can only mean the bucket.
      throw s3Failure(error, this.#target(key), { notFound: 'bucket' });
    }
    const stored = await this.stat(key);
    if (!stored) throw this.#notFound(key);
    return stored;
  }

  close(): Promise<void> {
    this.#client.destroy();
    return Promise.resolve();
  }

  /** What a message names: the bucket, the full key, the endpoint. */
  #target(key?: string): ObjectStoreTarget {
    return {
      bucket: this.#bucket,
      key: key === undefined ? undefined : this.#prefix + key,
      endpoint: this.#endpoint,
    };
  }

  #notFound(key: string): ObjectKeyNotFoundError {
    return new ObjectKeyNotFoundError(key, `${this.location} at ${this.#endpoint}`);
  }

  /** Throws BucketNotFoundError when the bucket itself is missing. */
  async #assertBucket(key: string): Promise<void> {
    try {
      await this.#client.send(new HeadBucketCommand({ Bucket: this.#bucket }));
    } catch (error) {
      throw s3Failure(error, this.#target(key), { notFound: 'bucket' });
    }
  }

  /** A body that broke while it was read: the connection went, not the object. */
  #interrupted(error: unknown, key: string): Error {
    const e = error as { name?: string; code?: string; message?: string };
    if (error instanceof DownbeatError || e.name === 'AbortError') return error as Error;
    return new ObjectStoreUnreachableError(
      this.#target(key),
      `the connection broke while the object was read: ${e.code ?? e.message ?? String(error)}`,
      { cause: error },
    );
  }
}

/**
 * An object's body that reports a broken read as an error naming the object, and can still be
 * destroyed by a reader that stops early (see readObjects).
 */
function guardedBody(
  body: Readable,
  fail: (error: unknown) => Error,
): AsyncIterable<Uint8Array> & { destroy(): void } {
  return {
    async *[Symbol.asyncIterator]() {
      try {
        for await (const chunk of body) yield chunk as Uint8Array;
      } catch (error) {
        throw fail(error);
      }
    },
    destroy: () => body.destroy(),
  };
}

function info(
  key: string,
  size: number,
  lastModified: Date | undefined,
  etag: string | undefined,
): ObjectInfo {
  return {
    key,
    size,
    lastModified: lastModified ?? new Date(0),
    version: `${(etag ?? '').replaceAll('"', '')}:${size}`,
  };
}
