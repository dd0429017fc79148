import { createWriteStream, type Dirent } from 'node:fs';
import { mkdir, open, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import {
  assertSafeKey,
  InvalidKeyError,
  ObjectNotFoundError,
  type ObjectBody,
  type ObjectInfo,
  type ObjectStore,
} from '../../ports/index.ts';

/** Objects up to this size are read whole rather than streamed. */
const SMALL_OBJECT_BYTES = 256 * 1024;

type Stats = Awaited<ReturnType<typeof statBigint>>;
const statBigint = (path: string) => stat(path, { bigint: true });

/**
 * A folder standing in for a bucket (embedded mode). Keys are paths below the root; nothing
 * outside the root is read, whether named by `..` or reached through a symbolic link.
 */
export class LocalObjectStore implements ObjectStore {
  readonly location: string;
  readonly #root: string;

  constructor(root: string) {
    this.#root = root;
    this.location = `file://${root}`;
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    // Walk only the folder the prefix names, then filter by the rest of the prefix.
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    if (folder) assertSafeKey(folder);
    const root = await this.#realRoot();
    if (!root) return;
    const candidates: { key: string; link: boolean }[] = [];
    // A hand-written walk: Node 20's recursive readdir is several times slower on deep trees.
    const walk = async (dir: string): Promise<void> => {
      let entries: Dirent[];
      try {
        entries = await readdir(join(root, dir), { withFileTypes: true });
      } catch (error) {
        if (isMissing(error)) return;
        throw error;
      }
      const folders: string[] = [];
      for (const entry of entries) {
        const key = dir ? `${dir}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) folders.push(key);
        } else if ((entry.isFile() || entry.isSymbolicLink()) && key.startsWith(prefix) && !isTempName(key)) {
          candidates.push({ key, link: entry.isSymbolicLink() });
        }
      }
      await Promise.all(folders.map(walk));
    };
    await walk(folder);
    candidates.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const BATCH = 256;
    for (let i = 0; i < candidates.length; i += BATCH) {
      // A plain file found by walking down from the real root is inside it; only links need resolving.
      const infos = await Promise.all(
        candidates.slice(i, i + BATCH).map(async ({ key, link }) => {
          if (link) return this.#statFile(root, key);
          const stats = await statBigint(join(root, key)).catch((error: unknown) => {
            if (isMissing(error)) return undefined;
            throw error;
          });
          return stats?.isFile() ? toInfo(key, stats) : undefined;
        }),
      );
      for (const info of infos) if (info) yield info;
    }
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    assertSafeKey(key);
    const root = await this.#realRoot();
    return root ? this.#statFile(root, key) : undefined;
  }

  async get(key: string): Promise<ObjectBody> {
    assertSafeKey(key);
    const root = await this.#realRoot();
    const path = root && (await this.#insideRoot(root, key));
    if (!path) throw new ObjectNotFoundError(key, this.location);
    const handle = await open(path, 'r');
    try {
      const stats = await handle.stat({ bigint: true });
      if (!stats.isFile()) throw new ObjectNotFoundError(key, this.location);
      const info = toInfo(key, stats);
      if (stats.size <= SMALL_OBJECT_BYTES) {
        // A small object is read in one call: a stream costs more than the read itself.
        const bytes = await handle.readFile();
        await handle.close();
        return { info, body: once(bytes) };
      }
      return { info, body: handle.createReadStream({ highWaterMark: 1 << 20, autoClose: true }) };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async put(key: string, body: string | Uint8Array | AsyncIterable<Uint8Array>): Promise<ObjectInfo> {
    assertSafeKey(key);
    const path = join(this.#root, key);
    await mkdir(dirname(path), { recursive: true });
    // Write beside, then rename: a reader sees the old object or the new one, never half of one.
    const temp = `${path}.${process.pid}.${Date.now()}.downbeat-tmp`;
    try {
      const source =
        typeof body === 'string' || body instanceof Uint8Array ? Readable.from([body]) : Readable.from(body);
      await pipeline(source, createWriteStream(temp));
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    const info = await this.stat(key);
    if (!info) throw new ObjectNotFoundError(key, this.location);
    return info;
  }

  async close(): Promise<void> {}

  async #realRoot(): Promise<string | undefined> {
    try {
      return await realpath(this.#root);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /** The real path of the key's file, if it exists and lies inside the root. */
  async #insideRoot(root: string, key: string): Promise<string | undefined> {
    let path: string;
    try {
      path = await realpath(join(root, key));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    if (!path.startsWith(root + sep)) throw new InvalidKeyError(key, 'it leads outside the store');
    return path;
  }

  async #statFile(root: string, key: string): Promise<ObjectInfo | undefined> {
    let path: string | undefined;
    try {
      path = await this.#insideRoot(root, key);
    } catch (error) {
      if (error instanceof InvalidKeyError) return undefined; // a link out of the store is not listed
      throw error;
    }
    if (!path) return undefined;
    const stats = await statBigint(path);
    return stats.isFile() ? toInfo(key, stats) : undefined;
  }
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield await Promise.resolve(bytes);
}

function toInfo(key: string, stats: Stats): ObjectInfo {
  return {
    key,
    size: Number(stats.size),
    lastModified: new Date(Number(stats.mtimeMs)),
    version: `${stats.size}:${stats.mtimeNs}`,
  };
}

function isTempName(key: string): boolean {
  return key.endsWith('.downbeat-tmp');
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
