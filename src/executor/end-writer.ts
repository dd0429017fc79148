import type { Clock } from '../clock/index.ts';
import {
  endTriesAndClaim,
  endTry,
  endTryAndClaim,
  type ClaimedTask,
  type ClaimScope,
  type TryEnd,
  type TryEndResult,
} from '../store/queue/index.ts';
import type { Db } from '../store/db/index.ts';

/** What the store made of a try's end, and the tasks its transaction claimed (none asked: undefined). */
export interface RecordedEnd {
  readonly result: TryEndResult;
  readonly claimed?: readonly ClaimedTask[];
}

interface Pending {
  readonly task: ClaimedTask;
  readonly end: TryEnd;
  /** The worker's DAG has nothing below the task: its success can take the shortest path. */
  readonly leaf: boolean;
  readonly resolve: (recorded: RecordedEnd) => void;
  readonly reject: (error: unknown) => void;
}

export interface EndWriterOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly scope: ClaimScope;
  /** The worker's free slots beyond those of the ending tries; -1 once it stops (no more claims). */
  readonly freeSlots: () => number;
  /**
   * Holds (or, negative, lets go of) slots a claim under way will fill. The claimed tasks' slots
   * stay held when the end resolves: the worker lets go of them as it starts the tasks.
   */
  readonly reserve: (slots: number) => void;
}

/**
 * A worker's tries' ends, written one transaction at a time: the ends that come while one is
 * being written go together in the next, with one claim for the slots they all free (group
 * commit, so a worker of many slots pays one commit for several ends). Each transaction claims
 * the worker's next tasks; recording an end outlasts a passing DB outage by trying again.
 */
export class EndWriter {
  readonly #options: EndWriterOptions;
  #queue: Pending[] = [];
  #writing = false;

  constructor(options: EndWriterOptions) {
    this.#options = options;
  }

  record(task: ClaimedTask, end: TryEnd, leaf: boolean): Promise<RecordedEnd> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ task, end, leaf, resolve, reject });
      void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    if (this.#writing) return;
    this.#writing = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0);
        try {
          const recorded = await this.#write(batch);
          batch.forEach((pending, i) => pending.resolve(recorded[i] as RecordedEnd));
        } catch (error) {
          for (const pending of batch) pending.reject(error);
        }
      }
    } finally {
      this.#writing = false;
    }
  }

  async #write(batch: readonly Pending[]): Promise<RecordedEnd[]> {
    const { db, clock, scope } = this.#options;
    for (let attempt = 0; ; attempt += 1) {
      const extra = this.#options.freeSlots();
      const held = Math.max(0, extra);
      this.#options.reserve(held);
      try {
        const now = clock.now();
        if (extra < 0) {
          const results: RecordedEnd[] = [];
          for (const { end } of batch) results.push({ result: await endTry(db, end, now) });
          return results;
        }
        const [only] = batch;
        if (only && batch.length === 1) {
          const ended = await endTryAndClaim(db, only.end, now, { limit: extra + 1, scope, leaf: only.leaf });
          this.#options.reserve(ended.claimed.length);
          return [{ result: ended.result, claimed: ended.claimed }];
        }
        const ends = batch.map(({ end, task, leaf }) => ({ ...end, runPk: task.runPk, leaf }));
        const ended = await endTriesAndClaim(db, ends, now, { limit: extra + batch.length, scope });
        this.#options.reserve(ended.claimed.length);
        // The first end's slot takes the claimed tasks; the others hand theirs over with it.
        return ended.results.map((result, i) => ({ result, claimed: i === 0 ? ended.claimed : [] }));
      } catch (error) {
        if (attempt >= 30) throw error;
        await clock.sleep(1000);
      } finally {
        this.#options.reserve(-held);
      }
    }
  }
}
