import type { TaskContext } from './context.ts';

/** One data-quality check's result, kept per run and shown in the UI. */
export interface CheckResult {
  readonly name: string;
  /** The SQL that measured `actual`, when the check is SQL. */
  readonly sql?: string;
  readonly expected: string;
  readonly actual: string;
  readonly passed: boolean;
  /**
   * In a range run, the start (ISO-8601) of the covered interval this result measured; absent when
   * it measured the run's whole interval (a range run's: the range).
   */
  readonly interval?: string;
}

/** What a task reports when it ends; the engine stores it with the try. */
export interface TaskOutcome {
  /** Rows written per table, e.g. `{ staging_events: 1234 }`. */
  readonly rowsWritten?: Readonly<Record<string, number>>;
  /**
   * In a range run, the figures of each covered interval the operator could split them by, keyed
   * by the interval's start (ISO-8601): rows written per table. @default none
   */
  readonly intervals?: Readonly<Record<string, { readonly rowsWritten?: Readonly<Record<string, number>> }>>;
  readonly checks?: readonly CheckResult[];
  /** One line for a person: what the task did. */
  readonly summary?: string;
  /**
   * The task's output: a JSON value (at most 64 KiB as JSON), kept with the try and shown in the
   * UI; what an `fn` task returned. @default none
   */
  readonly output?: unknown;
  /**
   * A branch's choice: only these of its direct downstream tasks run; the others are skipped, and
   * their skips spread by the trigger rules below them. @default all of them run
   */
  readonly follow?: readonly string[];
  /** A short circuit: every task below this one is skipped, whatever its trigger rule. @default false */
  readonly shortCircuit?: boolean;
  /**
   * The task skipped itself (a sensor that timed out with softFail): its state is `skipped`, and
   * the skip spreads by the trigger rules below it. @default false
   */
  readonly skipped?: boolean;
  /**
   * A sensor that found nothing yet, in reschedule mode: the try goes on at this time, and holds
   * no worker slot until then (the task instance is `up_for_reschedule`). @default none
   */
  readonly reschedule?: Date;
}

/**
 * A reusable kind of task. An operator is configured once, when the DAG is defined, and executed
 * once per try with that try's context. It reaches data only through the context's ports.
 */
export interface Operator {
  /** The operator's kind, e.g. `stage_json`; shown in the UI and kept in the DAG's stored spec. */
  readonly kind: string;
  /** Its configuration as JSON, for the stored spec and the UI. Secrets never appear here. */
  describe(): Record<string, unknown>;
  execute(context: TaskContext): Promise<TaskOutcome>;
}

const FAILURE_BRAND = Symbol.for('downbeat.task_failure');

/**
 * A task's failure that carries what was measured before it failed (a data-quality check's
 * actual values, the rejected lines of a source): stored and shown, not just logged.
 */
export class TaskFailure extends Error {
  readonly code: string;
  readonly outcome: TaskOutcome;
  /** No retry can mend it (a sensor's timeout): the task fails at once, retries left or not. */
  readonly final: boolean;

  constructor(
    code: string,
    message: string,
    outcome: TaskOutcome = {},
    options?: { cause?: unknown; final?: boolean },
  ) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.outcome = outcome;
    this.final = options?.final ?? false;
    Object.defineProperty(this, FAILURE_BRAND, { value: true });
  }

  /** A TaskFailure of another copy of Downbeat's code keeps its outcome too. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    return this === TaskFailure && typeof value === 'object' && value !== null && FAILURE_BRAND in value;
  }
}
