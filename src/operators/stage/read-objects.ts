import type { ObjectBody, ObjectStore } from '../../ports/index.ts';

/** Objects read between two turns of the event loop. */
const YIELD_EVERY = 64;

/**
 * Opens objects in order, `readAhead` of them at a time: reading many small objects is bound by
 * latency, not bandwidth. Objects opened but not consumed (the caller stopped early) are closed.
 */
export async function* readObjects(
  store: ObjectStore,
  keys: readonly string[],
  readAhead = 16,
): AsyncIterable<ObjectBody & { readonly key: string }> {
  const opening = new Map<number, Promise<ObjectBody>>();
  const open = (index: number) => {
    const key = keys[index];
    if (key === undefined || opening.has(index)) return;
    const pending = store.get(key);
    pending.catch(() => undefined); // its error surfaces when it is awaited in turn
    opening.set(index, pending);
  };
  try {
    for (const [index, key] of keys.entries()) {
      // A store may answer at once (a local folder reads small files synchronously), and the rows
      // may go where nothing waits on I/O: other work (timers, heartbeats, requests) gets a turn.
      if (index % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve));
      for (let ahead = index; ahead < index + readAhead; ahead += 1) open(ahead);
      const object = await (opening.get(index) as Promise<ObjectBody>);
      opening.delete(index);
      yield { key, ...object };
    }
  } finally {
    for (const pending of opening.values()) {
      pending.then(
        ({ body }) => (body as { destroy?: () => void }).destroy?.(),
        () => undefined,
      );
    }
  }
}
