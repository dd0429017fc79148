import {
  BucketNotFoundError,
  DownbeatError,
  ObjectStoreAuthError,
  ObjectStoreRequestError,
  ObjectStoreUnavailableError,
  ObjectStoreUnreachableError,
  type ObjectStoreTarget,
} from '../../errors/index.ts';

/** The parts of an AWS SDK error (or a Node network error inside one) this module reads. */
interface SdkError {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly attempts?: number };
  readonly cause?: unknown;
  readonly errors?: readonly unknown[];
}

/** S3 error codes that mean the credentials were refused, whatever the HTTP status. */
const AUTH_CODES = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
  'CredentialsProviderError', // no credentials found at all
]);

/** Codes of a socket that never got an answer (Node's, and the SDK's timeout). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

const THROTTLING_CODES = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'RequestLimitExceeded']);

/** The HTTP status of an SDK error, when the server answered. */
export function httpStatus(error: unknown): number | undefined {
  return (error as SdkError | undefined)?.$metadata?.httpStatusCode;
}

/** The bucket itself is missing (404 NoSuchBucket); a HEAD's 404 has no body and cannot say. */
export function isNoSuchBucket(error: unknown): boolean {
  return (error as SdkError | undefined)?.name === 'NoSuchBucket';
}

/** A 404 of any kind: no such key, or (for a HEAD, which has no body to say which) no such bucket. */
export function isNotFound(error: unknown): boolean {
  const e = error as SdkError | undefined;
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || isNoSuchBucket(e) || httpStatus(e) === 404;
}

/**
 * Turns what the S3 client threw into an error that says what failed, where, and what to do.
 * Called after the client's own retries (see S3ObjectStore): whatever arrives here failed for good
 * as far as this request goes. Our own errors and cancellations (AbortError) pass through as they
 * are. The messages name the bucket, key and endpoint, never the credentials. `notFound: 'bucket'`
 * reads a 404 as the bucket's absence (a PUT, or a HEAD of the bucket); otherwise only an explicit
 * NoSuchBucket is, and the caller handles a missing key itself.
 */
export function s3Failure(
  error: unknown,
  target: ObjectStoreTarget,
  hint: { readonly notFound?: 'bucket' } = {},
): Error {
  if (error instanceof DownbeatError) return error;
  const e = (error ?? {}) as SdkError;
  if (e.name === 'AbortError') return error as Error;
  const status = httpStatus(e);
  const attempts = e.$metadata?.attempts;
  const tries = attempts && attempts > 1 ? ` after ${attempts} attempts` : '';
  const name = e.name && e.name !== 'Unknown' && e.name !== 'Error' ? e.name : undefined;
  const answered = status !== undefined ? `${status}${name ? ` ${name}` : ''}` : (name ?? 'error');
  const options = { cause: error };

  if (status === 403 || (name !== undefined && AUTH_CODES.has(name)))
    return new ObjectStoreAuthError(
      target,
      name === 'CredentialsProviderError' ? (e.message ?? name) : answered,
      options,
    );
  if (isNoSuchBucket(e) || (hint.notFound === 'bucket' && isNotFound(e)))
    return new BucketNotFoundError(target, options);
  const network = networkCode(e);
  if (network && status === undefined)
    return new ObjectStoreUnreachableError(target, `${network}${tries}`, options);
  if (status === 429 || (status !== undefined && status >= 500) || (name && THROTTLING_CODES.has(name)))
    return new ObjectStoreUnavailableError(target, `${answered}${tries}`, options);
  if (status !== undefined) return new ObjectStoreRequestError(target, answered, options);
  return error instanceof Error ? error : new ObjectStoreRequestError(target, String(error), options);
}

/** The network error code in an error, its cause or (for Node's connection attempts) its errors. */
function networkCode(error: SdkError, depth = 0): string | undefined {
  if (depth > 5) return undefined;
  if (error.code && NETWORK_CODES.has(error.code)) return error.code;
  if (error.name === 'TimeoutError') return 'timed out';
  for (const inner of [error.cause, ...(error.errors ?? [])]) {
    if (inner && typeof inner === 'object') {
      const code = networkCode(inner, depth + 1);
      if (code) return code;
    }
  }
  return undefined;
}

/** An endpoint as shown in messages: scheme, host and path, without user info or query. */
export function displayEndpoint(endpoint: string | undefined, region: string): string {
  if (!endpoint) return `AWS S3 (${region})`;
  try {
    const url = new URL(endpoint);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return 'the configured endpoint';
  }
}
