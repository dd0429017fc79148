import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { objectStoreContract } from '../../ports/object-store-contract.ts';
import { InvalidKeyError } from '../../ports/index.ts';
import { LocalObjectStore } from './local-object-store.ts';

const folders: string[] = [];
async function tempFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'downbeat-local-store-'));
  folders.push(folder);
  return folder;
}
afterAll(async () => {
  await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
});

objectStoreContract('local', async () => new LocalObjectStore(await tempFolder()));

describe('LocalObjectStore', () => {
  it('never reads through a symbolic link that leads outside the root', async () => {
    const root = await tempFolder();
    const outside = await tempFolder();
    await writeFile(join(outside, 'secret.json'), '{"secret":true}');
    await symlink(join(outside, 'secret.json'), join(root, 'link.json'));
    const store = new LocalObjectStore(root);
    await expect(store.get('link.json')).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(store.stat('link.json')).rejects.toBeInstanceOf(InvalidKeyError);
    const listed: string[] = [];
    for await (const info of store.list('')) listed.push(info.key);
    expect(listed).toEqual([]);
  });

  it('treats a missing root as an empty store', async () => {
    const store = new LocalObjectStore(join(await tempFolder(), 'not-there'));
    const listed: string[] = [];
    for await (const info of store.list('log_data/')) listed.push(info.key);
    expect(listed).toEqual([]);
    expect(await store.stat('log_data/x.json')).toBeUndefined();
  });
});
