/** A first-come, first-served lock for async work inside one process. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();

  async run<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  }
}

/** Mutexes by name, created on first use and dropped when nobody holds or waits for them. */
export class NamedMutexes {
  readonly #locks = new Map<string, { mutex: Mutex; users: number }>();

  async run<T>(name: string, work: () => Promise<T>): Promise<T> {
    let entry = this.#locks.get(name);
    if (!entry) {
      entry = { mutex: new Mutex(), users: 0 };
      this.#locks.set(name, entry);
    }
    entry.users += 1;
    try {
      return await entry.mutex.run(work);
    } finally {
      entry.users -= 1;
      if (entry.users === 0) this.#locks.delete(name);
    }
  }
}
