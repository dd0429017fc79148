import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors/index.ts';
import type { ObjectStore } from '../ports/index.ts';
import { LocalObjectStore } from './local/index.ts';
import { S3ObjectStore } from './s3/index.ts';

export { LocalObjectStore } from './local/index.ts';
export { S3ObjectStore } from './s3/index.ts';

/** Opens the object store a connection URI names: `file:///path` (or a plain path), or `s3://bucket/prefix?…`. */
// eslint-disable-next-line @typescript-eslint/require-await -- adapters for other schemes connect first
export async function openObjectStore(uri: string): Promise<ObjectStore> {
  if (uri.startsWith('file:')) return new LocalObjectStore(fileURLToPath(uri));
  if (uri.startsWith('s3://')) return S3ObjectStore.fromUri(uri);
  if (!/^[a-z][a-z0-9+.-]*:/i.test(uri)) return new LocalObjectStore(resolve(uri));
  const scheme = uri.slice(0, uri.indexOf(':'));
  throw new ConfigError(
    `object store scheme "${scheme}:" is not supported (use file:///path or s3://bucket/prefix)`,
  );
}
