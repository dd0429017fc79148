import { appendLog } from '../store/queue/index.ts';
import type { Db } from '../store/db/index.ts';

/**
 * A running try's log, written to the metadata DB as it grows (every `everyMs`), so the UI can
 * follow a long task. Tries that end sooner write nothing here: their lines go in with the try's
 * end, in the same transaction, as before. A failed write keeps its lines for the next one.
 */
export class LiveLog {
  readonly #db: Db;
  readonly #tiId: number;
  readonly #tryNumber: number;
  readonly #timer: NodeJS.Timeout;
  #pending: string[] = [];
  #writing: Promise<void> = Promise.resolve();

  constructor(db: Db, tiId: number, tryNumber: number, everyMs = 1000) {
    this.#db = db;
    this.#tiId = tiId;
    this.#tryNumber = tryNumber;
    this.#timer = setInterval(() => this.#flush(), everyMs);
    this.#timer.unref();
  }

  push(line: string): void {
    this.#pending.push(line);
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    this.#writing = this.#writing.then(async () => {
      const lines = this.#pending;
      this.#pending = [];
      try {
        await this.#db.transaction((tx) => appendLog(tx, this.#tiId, this.#tryNumber, lines));
      } catch {
        this.#pending = [...lines, ...this.#pending];
      }
    });
  }

  /** Stops writing; the lines not written yet, for the try's end to store. */
  async close(): Promise<string[]> {
    clearInterval(this.#timer);
    await this.#writing;
    return this.#pending;
  }
}
