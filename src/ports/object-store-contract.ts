/**
 * The ObjectStore contract: every adapter runs this suite against a real store (DESIGN §7).
 * `open` gives a fresh, empty store for each test.
 */
import { describe, expect, it } from 'vitest';
import { InvalidKeyError, ObjectKeyNotFoundError, type ObjectStore } from './index.ts';

async function text(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

async function keys(store: ObjectStore, prefix: string): Promise<string[]> {
  const found: string[] = [];
  for await (const info of store.list(prefix)) found.push(info.key);
  return found;
}

export function objectStoreContract(name: string, open: () => Promise<ObjectStore>): void {
  describe(`ObjectStore contract: ${name}`, () => {
    it('puts, stats and gets an object, streamed', async () => {
      const store = await open();
      const put = await store.put('a/b/one.json', '{"x":1}\n');
      expect(put).toMatchObject({ key: 'a/b/one.json', size: 8 });
      const info = await store.stat('a/b/one.json');
      expect(info).toMatchObject({ key: 'a/b/one.json', size: 8, version: put.version });
      const object = await store.get('a/b/one.json');
      expect(object.info.version).toBe(put.version);
      expect(await text(object.body)).toBe('{"x":1}\n');
    });

    it('puts a streamed body', async () => {
      const store = await open();
      async function* parts() {
        for (let i = 0; i < 100; i += 1) yield new TextEncoder().encode(`line ${i}\n`);
      }
      await store.put('stream.txt', parts());
      const lines = (await text((await store.get('stream.txt')).body)).trim().split('\n');
      expect(lines).toHaveLength(100);
      expect(lines[99]).toBe('line 99');
    });

    it('lists by prefix, in key order, across many objects', async () => {
      const store = await open();
      const names = Array.from(
        { length: 1203 },
        (_, i) => `song_data/${String.fromCharCode(65 + (i % 3))}/${String(i).padStart(5, '0')}.json`,
      );
      for (let i = 0; i < names.length; i += 100)
        await Promise.all(names.slice(i, i + 100).map((key) => store.put(key, '{}')));
      await store.put('log_data/2018/11/2018-11-01-events.json', '');
      const listed = await keys(store, 'song_data/');
      expect(listed).toEqual([...names].sort());
      expect(await keys(store, 'song_data/B/')).toEqual(
        names.filter((k) => k.startsWith('song_data/B/')).sort(),
      );
      expect(await keys(store, 'log_data/2018/11/2018-11-0')).toEqual([
        'log_data/2018/11/2018-11-01-events.json',
      ]);
      expect(await keys(store, 'nothing/')).toEqual([]);
    });

    it('changes the version when the content changes', async () => {
      const store = await open();
      const first = await store.put('v.json', '1');
      const second = await store.put('v.json', '22');
      expect(second.version).not.toBe(first.version);
      expect((await store.stat('v.json'))?.version).toBe(second.version);
    });

    it('reports a missing object', async () => {
      const store = await open();
      expect(await store.stat('missing.json')).toBeUndefined();
      await expect(store.get('missing.json')).rejects.toBeInstanceOf(ObjectKeyNotFoundError);
      await expect(store.get('missing.json')).rejects.toThrow(/missing\.json/);
    });

    it('refuses keys that could leave the store', async () => {
      const store = await open();
      for (const key of ['../outside.json', 'a/../../outside.json', '/etc/passwd', '']) {
        await expect(store.get(key)).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(store.put(key, 'x')).rejects.toBeInstanceOf(InvalidKeyError);
      }
    });
  });
}
