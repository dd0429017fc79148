import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import { ConfigError } from '../../errors/index.ts';
import {
  assertSafeKey,
  ObjectNotFoundError,
  type ObjectBody,
  type ObjectInfo,
  type ObjectStore,
} from '../../ports/index.ts';

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
}

/**
 * Amazon S3, or any S3-compatible server. Listings are paged (1,000 keys a request), objects are
 * streamed both ways (uploads of unknown length go multipart), and a version is the ETag.
 */
export class S3ObjectStore implements ObjectStore {
  readonly location: string;
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;

  constructor(options: S3ObjectStoreOptions) {
    this.#bucket = options.bucket;
    this.#prefix = options.prefix ? `${options.prefix.replace(/\/+$/, '')}/` : '';
    this.location = `s3://${options.bucket}/${this.#prefix}`;
    const config: S3ClientConfig = {
      region: options.region ?? 'us-east-1',
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
      // Non-AWS servers often do not implement the newer checksums.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 4,
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
      const page = await this.#client.send(
        new ListObjectsV2Command({
          Bucket: this.#bucket,
          Prefix: this.#prefix + prefix,
          ContinuationToken: token,
          MaxKeys: 1000,
        }),
      );
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
      if (isNotFound(error)) return undefined;
      throw error;
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
        body: object.Body as Readable,
      };
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(key, this.location);
      throw error;
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
    await upload.done();
    const stored = await this.stat(key);
    if (!stored) throw new ObjectNotFoundError(key, this.location);
    return stored;
  }

  close(): Promise<void> {
    this.#client.destroy();
    return Promise.resolve();
  }
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

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}
