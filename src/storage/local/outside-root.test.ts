/**
 * Hostile keys and links (issue #7): nothing outside the store's root is opened or read, whatever
 * the key or the links below the root, and a named pipe does not hang a read. Every `open` the
 * store makes is recorded, so "nothing outside is read" is checked, not inferred.
 */
import { execFileSync } from 'node:child_process';
import type * as Fs from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidKeyError, ObjectKeyNotFoundError, type ObjectStore } from '../../ports/index.ts';
import { LocalObjectStore } from './local-object-store.ts';

const spy = vi.hoisted(() => ({
  opened: [] as string[],
  /** Paths opened by the asynchronous call (get's streamed read of a large object). */
  openedAsync: [] as string[],
  /** Synchronous reads made (get's read of a small object). */
  reads: 0,
  /** fstatSync answers this many bytes fewer (a file that grows after its size was read). */
  fstatShortBy: 0,
  /** Answers realpath for these paths instead of the file system (a link swapped in after resolving). */
  realpathLies: new Map<string, string>(),
}));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof FsPromises>();
  return {
    ...fs,
    open: (path: string, ...rest: unknown[]) => {
      spy.opened.push(String(path));
      spy.openedAsync.push(String(path));
      return (fs.open as (...args: unknown[]) => unknown)(path, ...rest);
    },
    realpath: (path: string) => {
      const lie = spy.realpathLies.get(String(path));
      return lie === undefined ? fs.realpath(path) : Promise.resolve(lie);
    },
  };
});
// Small objects are read by synchronous calls: the same spies on those.
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof Fs>();
  const realpathSync = (path: string) => spy.realpathLies.get(String(path)) ?? fs.realpathSync(path);
  realpathSync.native = (path: string) => spy.realpathLies.get(String(path)) ?? fs.realpathSync.native(path);
  return {
    ...fs,
    openSync: (path: string, ...rest: unknown[]) => {
      spy.opened.push(String(path));
      return (fs.openSync as (...args: unknown[]) => unknown)(path, ...rest);
    },
    fstatSync: (...args: unknown[]) => {
      const stats = (fs.fstatSync as (...args: unknown[]) => Fs.BigIntStats)(...args);
      if (spy.fstatShortBy > 0) stats.size -= BigInt(spy.fstatShortBy);
      return stats;
    },
    readSync: (...args: unknown[]) => {
      spy.reads += 1;
      return (fs.readSync as (...args: unknown[]) => unknown)(...args);
    },
    realpathSync,
  };
});

const SECRET = 'SECRET-7f3a9c-outside-the-root';
const folders: string[] = [];
let root: string;
let outside: string;
let store: ObjectStore;

beforeEach(async () => {
  const base = await mkdtemp(join(tmpdir(), 'downbeat-outside-root-'));
  folders.push(base);
  root = join(base, 'root');
  outside = join(base, 'outside');
  await mkdir(join(root, 'log_data'), { recursive: true });
  await mkdir(outside, { recursive: true });
  await writeFile(join(outside, 'secret.json'), `{"secret":"${SECRET}"}\n`);
  await writeFile(join(root, 'log_data', 'inside.json'), '{"inside":true}\n');
  store = new LocalObjectStore(root);
  spy.opened.length = 0;
  spy.openedAsync.length = 0;
  spy.reads = 0;
  spy.fstatShortBy = 0;
  spy.realpathLies.clear();
});
afterAll(async () => {
  await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
});

async function text(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
async function listed(prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of store.list(prefix)) keys.push(info.key);
  return keys;
}
/** The store opened nothing outside its root. */
function openedNothingOutside(): void {
  expect(spy.opened.filter((path) => !path.startsWith(`${root}/`))).toEqual([]);
}

describe('keys that name something outside the root', () => {
  it.each([
    ['../outside/secret.json', 'contains a "." or ".." segment'],
    ['../../etc/passwd', 'contains a "." or ".." segment'],
    ['log_data/../../outside/secret.json', 'contains a "." or ".." segment'],
    ['log_data/./../x.json', 'contains a "." or ".." segment'],
    ['/etc/passwd', 'keys are relative, not absolute'],
    ['//etc/passwd', 'keys are relative, not absolute'],
    ['log_data/x.json\0../../etc/passwd', 'contains a NUL byte'],
  ])('refuses %j before touching the disk: %s', async (key, reason) => {
    const message = `invalid object key "${key}": ${reason}`;
    await expect(store.get(key)).rejects.toThrow(message);
    await expect(store.stat(key)).rejects.toThrow(message);
    await expect(store.put(key, 'x')).rejects.toBeInstanceOf(InvalidKeyError);
    expect(spy.opened).toEqual([]);
  });

  it('takes %2e%2e and backslashes literally: names inside the root, never decoded into ".."', async () => {
    for (const key of ['%2e%2e/%2e%2e/etc/passwd', '%2E%2E/outside/secret.json', '..\\..\\etc\\passwd']) {
      await expect(store.get(key)).rejects.toBeInstanceOf(ObjectKeyNotFoundError);
      expect(await store.stat(key)).toBeUndefined();
    }
    // A folder really named %2e%2e is an ordinary folder inside the root.
    await store.put('%2e%2e/%2e%2e/etc/passwd', 'inside');
    expect(await text((await store.get('%2e%2e/%2e%2e/etc/passwd')).body)).toBe('inside');
    expect(await readFile(join(root, '%2e%2e/%2e%2e/etc/passwd'), 'utf8')).toBe('inside');
    openedNothingOutside();
  });
});

describe('symbolic links that lead outside the root', () => {
  it('a linked file: refused by get and stat, left out of listings', async () => {
    await symlink(join(outside, 'secret.json'), join(root, 'log_data', 'link.json'));
    const refused = /invalid object key "log_data\/link\.json": it leads outside the store/;
    await expect(store.get('log_data/link.json')).rejects.toThrow(refused);
    await expect(store.stat('log_data/link.json')).rejects.toThrow(refused);
    expect(await listed('log_data/')).toEqual(['log_data/inside.json']);
    openedNothingOutside();
  });

  it('a linked folder: nothing below it is read or listed, and nothing is written through it', async () => {
    await symlink(outside, join(root, 'log_data', 'linked'));
    await expect(store.get('log_data/linked/secret.json')).rejects.toThrow(/it leads outside the store/);
    await expect(store.stat('log_data/linked/secret.json')).rejects.toThrow(/it leads outside the store/);
    expect(await listed('')).toEqual(['log_data/inside.json']);
    expect(await listed('log_data/linked/')).toEqual([]);
    await expect(store.put('log_data/linked/new.json', 'x')).rejects.toThrow(/it leads outside the store/);
    await expect(store.put('log_data/linked/deeper/new.json', 'x')).rejects.toThrow(/it leads outside/);
    await expect(readFile(join(outside, 'new.json'))).rejects.toThrow(/ENOENT/);
    await expect(readFile(join(outside, 'deeper', 'new.json'))).rejects.toThrow(/ENOENT/);
    openedNothingOutside();
  });

  it('a chain of links that ends outside, and the root itself reached by a link', async () => {
    await symlink(join(outside, 'secret.json'), join(outside, 'hop.json'));
    await symlink(join(outside, 'hop.json'), join(root, 'log_data', 'chain.json'));
    await expect(store.get('log_data/chain.json')).rejects.toThrow(/it leads outside the store/);
    // A link inside the root to a file inside it is fine, and so is a root that is itself a link.
    await symlink(join(root, 'log_data', 'inside.json'), join(root, 'log_data', 'alias.json'));
    const linkedRoot = new LocalObjectStore(`${root}-link`);
    await symlink(root, `${root}-link`);
    expect(await text((await linkedRoot.get('log_data/alias.json')).body)).toBe('{"inside":true}\n');
    await expect(linkedRoot.get('log_data/chain.json')).rejects.toThrow(/it leads outside the store/);
  });

  it.each([
    ['small, read whole', `{"secret":"${SECRET}"}\n`, false],
    ['large, streamed', `${`{"secret":"${SECRET}"}\n`.repeat(20_000)}`, true],
  ])(
    'a folder swapped for a link after it was resolved (%s): the opened file is checked before any read',
    async (_, content, streamed) => {
      await writeFile(join(outside, 'secret.json'), content);
      await symlink(outside, join(root, 'swapped'));
      // realpath answers as if `swapped` were still a folder inside the root.
      const path = join(root, 'swapped', 'secret.json');
      spy.realpathLies.set(path, path);
      await expect(store.get('swapped/secret.json')).rejects.toThrow(
        'invalid object key "swapped/secret.json": it leads outside the store',
      );
      // It was opened (that is what the lie allows), by the read its size calls for, and refused
      // before a byte was read.
      expect(spy.opened).toContain(path);
      expect(spy.openedAsync.includes(path)).toBe(streamed);
      expect(spy.reads).toBe(0);
    },
  );
});

describe('files that are not regular files', () => {
  it('a named pipe in an object’s place is not listed, and reading it fails at once instead of hanging', async () => {
    execFileSync('mkfifo', [join(root, 'log_data', 'pipe.json')]);
    expect(await listed('log_data/')).toEqual(['log_data/inside.json']);
    expect(await store.stat('log_data/pipe.json')).toBeUndefined();
    await expect(store.get('log_data/pipe.json')).rejects.toBeInstanceOf(ObjectKeyNotFoundError);
  });

  it('a small file that grew after its size was read is streamed whole, not cut at the old size', async () => {
    spy.fstatShortBy = 5;
    const object = await store.get('log_data/inside.json');
    expect(await text(object.body)).toBe('{"inside":true}\n');
    expect(spy.openedAsync).toEqual([join(root, 'log_data', 'inside.json')]);
  });
});
