import {
  closeSync,
  constants,
  createWriteStream,
  type Dirent,
  fstatSync,
  openSync,
  readSync,
  readlinkSync,
  realpathSync,
  statSync,
} from 'node:fs';
import {
  type FileHandle,
  mkdir,
  open,
  readdir,
  readlink,
  realpath,
  rename,
  rm,
  stat,
} from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import {
  assertSafeKey,
  InvalidKeyError,
  ObjectKeyNotFoundError,
  type ObjectBody,
  type ObjectInfo,
  type ObjectStore,
} from '../../ports/index.ts';

/** Folders read at once while listing. */
const READERS = 16;
/** Objects up to this size are read whole rather than streamed. */
const SMALL_OBJECT_BYTES = 256 * 1024;
/** Keys stat'ed between two turns of the event loop while listing. */
const STAT_BATCH = 256;

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
    const root = this.#realRoot();
    if (!root) return;
    // The walk meets links as links and does not follow them, but the folder it starts from is
    // named by the prefix, and a link on that path would take it outside.
    if (folder && !(await this.#folderInside(root, folder))) return;
    const keys: string[] = [];
    const links = new Set<string>();
    // A hand-written walk (Node 20's recursive readdir is slower on deep trees, see BENCHMARKS.md),
    // level by level, READERS folders at a time, each dropped once read: a catalog of 100,000
    // files in 40,000 folders costs its keys, not every folder's entries at once.
    let level = [folder];
    while (level.length > 0) {
      const next: string[] = [];
      let taken = 0;
      const reader = async (): Promise<void> => {
        for (let dir = level[taken++]; dir !== undefined; dir = level[taken++]) {
          let entries: Dirent[];
          try {
            entries = await readdir(join(root, dir), { withFileTypes: true });
          } catch (error) {
            if (isMissing(error)) continue;
            throw error;
          }
          for (const entry of entries) {
            const key = dir ? `${dir}/${entry.name}` : entry.name;
            if (entry.isDirectory()) {
              if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) next.push(key);
            } else if (
              (entry.isFile() || entry.isSymbolicLink()) &&
              key.startsWith(prefix) &&
              !isTempName(key)
            ) {
              keys.push(key);
              if (entry.isSymbolicLink()) links.add(key);
            }
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(READERS, level.length) }, reader));
      level = next;
    }
    keys.sort();
    for (const [index, key] of keys.entries()) {
      // Other work gets its turn between batches: the stats below are synchronous.
      if (index % STAT_BATCH === STAT_BATCH - 1) await new Promise((resolve) => setImmediate(resolve));
      // A plain file found by walking down from the real root is inside it; only links need
      // resolving. A local stat is cheap; made asynchronously it also costs a thread-pool round
      // trip, more than the stat itself (as #readSmall's reads; see BENCHMARKS.md).
      const info = links.has(key)
        ? await this.#statFile(root, key).catch(skipOutside)
        : fileInfo(key, statListed(join(root, key)));
      if (info) yield info;
    }
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    assertSafeKey(key);
    const root = this.#realRoot();
    return root ? this.#statFile(root, key) : undefined;
  }

  async localPath(key: string): Promise<string | undefined> {
    assertSafeKey(key);
    const root = this.#realRoot();
    const path = root && (await this.#insideRoot(root, key));
    // Not a named pipe or a device: an engine reading one would wait forever.
    const stats = path && (await statBigint(path).catch(() => undefined));
    return stats && stats.isFile() ? path : undefined;
  }

  async get(key: string): Promise<ObjectBody> {
    assertSafeKey(key);
    const root = this.#realRoot();
    if (!root) throw new ObjectKeyNotFoundError(key, this.location);
    const small = this.#readSmall(root, key);
    if (small === 'missing') throw new ObjectKeyNotFoundError(key, this.location);
    if (small !== 'large') return { info: small.info, body: once(small.bytes) };
    // Resolved first, so that nothing outside is even opened.
    const path = await this.#insideRoot(root, key);
    if (!path) throw new ObjectKeyNotFoundError(key, this.location);
    let handle: FileHandle;
    try {
      // Non-blocking: a named pipe in the object's place opens at once (and is refused below)
      // rather than waiting for a writer forever.
      handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
      if (isMissing(error)) throw new ObjectKeyNotFoundError(key, this.location);
      throw error;
    }
    try {
      // A folder on the way may have been swapped for a link since it was resolved: check the
      // file actually opened, before reading a byte of it.
      const opened = await openedPath(handle);
      if (opened !== undefined && !isInside(root, opened)) {
        throw new InvalidKeyError(key, 'it leads outside the store');
      }
      const stats = await handle.stat({ bigint: true });
      if (!stats.isFile()) throw new ObjectKeyNotFoundError(key, this.location);
      return {
        info: toInfo(key, stats),
        body: handle.createReadStream({ highWaterMark: 1 << 20, autoClose: true }),
      };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async put(key: string, body: string | Uint8Array | AsyncIterable<Uint8Array>): Promise<ObjectInfo> {
    assertSafeKey(key);
    const path = join(this.#root, key);
    await this.#assertFolderInside(key, dirname(path));
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
    if (!info) throw new ObjectKeyNotFoundError(key, this.location);
    return info;
  }

  async close(): Promise<void> {}

  /**
   * A small object's bytes, read by synchronous calls with the same checks as get's streamed read
   * (the key resolved inside the root, the file actually opened checked, a regular file), or
   * whether it is missing or too large for this (then get's streamed read makes its own checks).
   * A local read is cheap; the same calls made asynchronously cost a thread-pool round trip each,
   * several to a small file, which outweigh the reads themselves (see BENCHMARKS.md).
   * A call blocks the event loop for one small file; readObjects yields between batches.
   */
  #readSmall(root: string, key: string): { info: ObjectInfo; bytes: Uint8Array } | 'missing' | 'large' {
    let path: string;
    let fd: number;
    try {
      path = realpathSync.native(join(root, key));
      if (!isInside(root, path)) throw new InvalidKeyError(key, 'it leads outside the store');
      // Non-blocking: a named pipe in the object's place opens at once (and is refused below).
      fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
      if (isMissing(error)) return 'missing';
      throw error;
    }
    try {
      const stats = fstatSync(fd, { bigint: true });
      if (stats.isFile() && stats.size > SMALL_OBJECT_BYTES) return 'large';
      // A folder on the way may have been swapped for a link since it was resolved.
      const opened = openedPathSync(fd);
      if (opened !== undefined && !isInside(root, opened)) {
        throw new InvalidKeyError(key, 'it leads outside the store');
      }
      if (!stats.isFile()) return 'missing';
      // One byte more than its size: a file that grew since is streamed instead.
      const size = Number(stats.size);
      const bytes = Buffer.allocUnsafe(size + 1);
      let filled = 0;
      for (let n = 1; n > 0 && filled < bytes.length; filled += n) {
        n = readSync(fd, bytes, filled, bytes.length - filled, filled);
      }
      return filled > size ? 'large' : { info: toInfo(key, stats), bytes: bytes.subarray(0, filled) };
    } finally {
      closeSync(fd);
    }
  }

  /** The root's real path (synchronous, as #readSmall: it is asked once per object). */
  #realRoot(): string | undefined {
    try {
      return realpathSync.native(this.#root);
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
    if (!isInside(root, path)) throw new InvalidKeyError(key, 'it leads outside the store');
    return path;
  }

  /** Whether a folder (that may not exist) is inside the root once its links are followed. */
  async #folderInside(root: string, folder: string): Promise<boolean> {
    try {
      return isInside(root, await realpath(join(root, folder)));
    } catch (error) {
      if (isMissing(error)) return true; // the walk finds nothing there
      throw error;
    }
  }

  /**
   * Refuses to write below a folder that a link takes outside the root (mkdir and the write would
   * follow it). The deepest folder of the path that exists is the one to resolve.
   */
  async #assertFolderInside(key: string, folder: string): Promise<void> {
    const root = this.#realRoot();
    if (!root) return; // no root yet: nothing below it can be a link
    for (let dir = folder; ; dir = dirname(dir)) {
      try {
        const real = await realpath(dir);
        if (real !== root && !isInside(root, real))
          throw new InvalidKeyError(key, 'it leads outside the store');
        return;
      } catch (error) {
        if (!isMissing(error) || dir === this.#root || dirname(dir) === dir) throw error;
      }
    }
  }

  /** The key's info; throws InvalidKeyError when a link takes it outside the root. */
  async #statFile(root: string, key: string): Promise<ObjectInfo | undefined> {
    const path = await this.#insideRoot(root, key);
    if (!path) return undefined;
    const stats = await statBigint(path);
    return stats.isFile() ? toInfo(key, stats) : undefined;
  }
}

/** A link out of the store is not listed (reading it by its key says why). */
function skipOutside(error: unknown): undefined {
  if (error instanceof InvalidKeyError) return undefined;
  throw error;
}

function isInside(root: string, path: string): boolean {
  return path.startsWith(root + sep);
}

/** The path of the file a handle has open, where the system tells it (Linux's /proc). */
async function openedPath(handle: FileHandle): Promise<string | undefined> {
  try {
    return await readlink(`/proc/self/fd/${handle.fd}`);
  } catch {
    return undefined;
  }
}

function openedPathSync(fd: number): string | undefined {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield await Promise.resolve(bytes);
}

/** A listed file's stats, or undefined if it (or a folder on its path) has gone since the walk. */
function statListed(path: string): Stats | undefined {
  try {
    return statSync(path, { bigint: true });
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

function fileInfo(key: string, stats: Stats | undefined): ObjectInfo | undefined {
  return stats?.isFile() ? toInfo(key, stats) : undefined;
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
