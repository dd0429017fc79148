import { describe, expect, it } from 'vitest';
import type { ObjectBody, ObjectStore } from '../../ports/index.ts';
import { readObjects } from './read-objects.ts';

/** A store that answers every get at once, as a local folder does for small files. */
function instantStore(): ObjectStore {
  return {
    get: (key: string) =>
      Promise.resolve({
        info: { key, size: 2, lastModified: new Date(0), version: '1' },
        body: [Buffer.from('{}')],
      } as unknown as ObjectBody),
  } as unknown as ObjectStore;
}

describe('readObjects', () => {
  it('gives other work a turn while reading objects a store answers at once', async () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `song_data/${i}.json`);
    let turned = false;
    setImmediate(() => (turned = true));
    let read = 0;
    let readBeforeTurn = 0;
    for await (const object of readObjects(instantStore(), keys)) {
      expect(object.key).toBe(keys[read]);
      read += 1;
      if (!turned) readBeforeTurn = read;
    }
    expect(read).toBe(1000);
    // Without a yield nothing but promise callbacks would run until all 1,000 were read.
    expect(readBeforeTurn).toBeLessThan(100);
  });
});
