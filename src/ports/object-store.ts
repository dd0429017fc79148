import { DownbeatError } from '../errors/index.ts';

/** What the store knows of one object. */
export interface ObjectInfo {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
  /** Changes whenever the content may have changed (an ETag, or size and modification time). */
  readonly version: string;
}

export interface ObjectBody {
  /** The version of exactly the bytes that `body` yields. */
  readonly info: ObjectInfo;
  readonly body: AsyncIterable<Uint8Array>;
}

/**
 * A bucket of objects named by `/`-separated keys: a local folder or an S3 bucket (and prefix).
 * Keys are relative; none may leave the store's root.
 */
export interface ObjectStore {
  /** Where the store is, for messages; never holds a secret. */
  readonly location: string;
  /** Every object whose key starts with `prefix`, in key order, fetched page by page. */
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /** The object's info, or undefined when there is none. */
  stat(key: string): Promise<ObjectInfo | undefined>;
  /** Streams an object; throws ObjectKeyNotFoundError when there is none. */
  get(key: string): Promise<ObjectBody>;
  put(key: string, body: string | Uint8Array | AsyncIterable<Uint8Array>): Promise<ObjectInfo>;
  /**
   * Optional: the path of the object's file, for an engine on this machine that reads files
   * itself (DuckDB): a regular file inside the store, or undefined. Absent for a remote store.
   */
  localPath?(key: string): Promise<string | undefined>;
  close(): Promise<void>;
}

/**
 * No object at this key, in a store that exists (a missing S3 bucket is BucketNotFoundError). Its
 * code stays `object_not_found`, from when the class was ObjectNotFoundError: codes are stored.
 */
export class ObjectKeyNotFoundError extends DownbeatError {
  readonly key: string;

  constructor(key: string, location: string) {
    super('object_not_found', `${key} not found in ${location}`);
    this.key = key;
  }
}

export class InvalidKeyError extends DownbeatError {
  readonly key: string;

  constructor(key: string, reason: string) {
    super('invalid_key', `invalid object key "${key}": ${reason}`);
    this.key = key;
  }
}

/** Rejects keys that could name something outside the store. */
export function assertSafeKey(key: string): void {
  if (key.length === 0) throw new InvalidKeyError(key, 'empty');
  if (key.startsWith('/')) throw new InvalidKeyError(key, 'keys are relative, not absolute');
  if (key.includes('\0')) throw new InvalidKeyError(key, 'contains a NUL byte');
  if (key.split('/').some((part) => part === '..' || part === '.')) {
    throw new InvalidKeyError(key, 'contains a "." or ".." segment');
  }
}
