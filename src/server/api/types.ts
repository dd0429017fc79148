/**
 * The REST API's shapes (/api/v1), shared by the server and the web UI's client: one definition,
 * so a change to an answer is a type error in both. Times are ISO-8601 strings (UTC, milliseconds).
 * Paths and field names follow Airflow's stable REST API where it has one.
 */

import type { RunType } from '../../dag/index.ts';
import type {
  BackfillState,
  Reprocess,
  RunState,
  TaskState as EngineTaskState,
  TryState,
} from '../../lifecycle/index.ts';

export type { BackfillState, Reprocess, RunState, RunType, TryState };
/** A task instance's state (src/lifecycle/states.ts), or 'none' where a run has no instance of the task. */
export type TaskState = EngineTaskState | 'none';

/** Every error answer: `{ error: { code, message } }`, with a stable code. */
export interface ApiError {
  readonly error: { readonly code: string; readonly message: string; readonly field?: string };
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly total_entries: number;
}

// ---- DAGs ---------------------------------------------------------------------------------

export interface DagSummary {
  readonly dag_id: string;
  readonly description: string | null;
  readonly file: string;
  readonly schedule: string | null;
  readonly timezone: string;
  readonly is_paused: boolean;
  readonly is_active: boolean;
  readonly tags: readonly string[];
  /** The logical date of the next scheduled run; null when paused or unscheduled. */
  readonly next_run: string | null;
  readonly last_run: DagRun | null;
  /** The newest runs' states, newest first (up to 10). */
  /** `deadline_missed`: the run was not succeeded by its DAG's deadline (see DagRun). */
  readonly recent_runs: readonly {
    readonly run_id: string;
    readonly state: RunState;
    readonly deadline_missed: boolean;
  }[];
}

export interface DagTask {
  readonly task_id: string;
  readonly operator: string;
  readonly upstream: readonly string[];
  readonly downstream: readonly string[];
  readonly retries: number;
  readonly config: unknown;
}

/** A DAG's param: what a trigger's conf may give (and must, when required without a default). */
export interface DagParam {
  readonly type: 'string' | 'number' | 'integer' | 'boolean' | 'enum';
  readonly default: string | number | boolean | null;
  readonly description: string | null;
  readonly required: boolean;
  /** An enum's values; null for the other types. */
  readonly values: readonly string[] | null;
}

export interface DagDetail extends DagSummary {
  readonly start_date: string;
  /** The params a trigger's conf is checked against, by name. */
  readonly params: Readonly<Record<string, DagParam>>;
  /** A hash of the DAG's definition: new whenever its file changes what it defines. */
  readonly version: string;
  readonly catchup: boolean;
  readonly max_active_runs: number;
  /** In topological order. */
  readonly tasks: readonly DagTask[];
}

export interface ImportError {
  readonly file: string;
  readonly message: string;
  readonly updated_at: string;
}

// ---- Runs and task instances ----------------------------------------------------------------

export interface DagRun {
  readonly dag_id: string;
  readonly dag_run_id: string;
  readonly run_type: RunType;
  readonly state: RunState;
  readonly logical_date: string;
  readonly data_interval_start: string;
  readonly data_interval_end: string;
  readonly conf: Record<string, unknown>;
  readonly backfill_id: number | null;
  readonly queued_at: string;
  readonly start_date: string | null;
  readonly end_date: string | null;
  /** Seconds from start to end; null until it ends. */
  readonly duration: number | null;
  /** The version of its DAG (a hash of its definition) the run was created with. */
  readonly dag_version: string;
  /** Who last marked the run success or failed by hand, and when; null when nobody did. */
  readonly marked_by: string | null;
  readonly marked_at: string | null;
  /**
   * `range`: a range run, one execution over `intervals` consecutive intervals of a backfill
   * (listed with `range_runs=true`); `interval`: a run of one interval.
   */
  readonly kind: 'interval' | 'range';
  readonly intervals: number;
  /** The range run that covers (or covered) this interval run and holds its tasks; null when none. */
  readonly range_run_id: string | null;
  /**
   * When this scheduled run was found not succeeded by its interval's end plus its DAG's
   * `deadline` (kept when it succeeds later); null: no miss.
   */
  readonly deadline_missed_at: string | null;
  /**
   * An object this succeeded run read has another version at the source now, or is gone (found by
   * `downbeat sources check` or the scheduler's hourly sweep); cleared when the interval is rerun
   * and succeeds (`reprocess_behavior: "stale"`).
   */
  readonly stale: boolean;
  /** What changed, per object the run read: its version then and now (null: removed). */
  readonly stale_objects: readonly StaleObject[];
}

/** An object a stale run read: the version it read, and the source's now (null: removed). */
export interface StaleObject {
  readonly table: string;
  readonly key: string;
  readonly read_version: string;
  readonly current_version: string | null;
}

/** POST /dags/{dag_id}/dagRuns */
export interface TriggerRunBody {
  readonly logical_date: string;
  readonly conf?: Record<string, unknown>;
}

export interface TaskInstance {
  readonly dag_id: string;
  readonly dag_run_id: string;
  readonly task_id: string;
  readonly state: TaskState;
  readonly try_number: number;
  readonly max_tries: number;
  readonly operator: string;
  readonly worker: string | null;
  readonly start_date: string | null;
  readonly end_date: string | null;
  readonly duration: number | null;
  /** Who last marked it success or failed by hand, and when; null when nobody did. */
  readonly marked_by: string | null;
  readonly marked_at: string | null;
}

export interface TaskTry {
  readonly try_number: number;
  /** A try's own state: lost when its worker stopped heartbeating. */
  readonly state: TryState;
  readonly worker: string;
  readonly start_date: string;
  readonly end_date: string | null;
  readonly duration: number | null;
  readonly error: { readonly code: string; readonly message: string } | null;
  /** What the operator reported (rows written, objects staged…); null until it ends. */
  readonly outcome: Record<string, unknown> | null;
  /** The task's output (what an `fn` returned), JSON; null when it gave none. */
  readonly output: unknown;
}

/**
 * GET …/taskInstances/{task_id}/logs/{try}?after=N. Lines after line N; `done` is true once the
 * try has ended and every line is in. Streamed as Server-Sent Events with `Accept: text/event-stream`
 * (one `data:` event per LogChunk, until done).
 */
export interface LogChunk {
  readonly lines: readonly { readonly line_no: number; readonly text: string }[];
  readonly last_line_no: number;
  readonly done: boolean;
}

/** POST /dags/{dag_id}/clearTaskInstances */
export interface ClearBody {
  readonly dag_run_id: string;
  /** Omitted: every task of the run. */
  readonly task_ids?: readonly string[];
  readonly include_downstream?: boolean;
  readonly include_upstream?: boolean;
  /** The same tasks in the DAG's later runs too. */
  readonly include_future?: boolean;
  /** The same tasks in the DAG's earlier runs too. */
  readonly include_past?: boolean;
  readonly only_failed?: boolean;
  /** List what would be cleared, and clear nothing. */
  readonly dry_run?: boolean;
}
export interface ClearResult {
  readonly task_instances: readonly {
    readonly dag_run_id: string;
    readonly task_id: string;
    readonly state: TaskState;
  }[];
}

/** PATCH …/dagRuns/{run_id}/taskInstances/{task_id} (Airflow's). */
export interface MarkTaskBody {
  readonly new_state: 'success' | 'failed';
}

/** PATCH …/dagRuns/{run_id} (Airflow's). */
export interface MarkRunBody {
  readonly state: 'success' | 'failed';
}

// ---- Grid -------------------------------------------------------------------------------------

/**
 * GET /dags/{dag_id}/grid?limit=N&before=ISO — the newest `limit` runs before `before`, oldest
 * first, with one state per task in `task_ids` order. Windowed: it costs the same at 10 runs and
 * 100,000.
 */
export interface Grid {
  readonly task_ids: readonly string[];
  readonly runs: readonly {
    readonly dag_run_id: string;
    readonly logical_date: string;
    readonly state: RunState;
    readonly run_type: RunType;
    readonly duration: number | null;
    /** A task's state, in task_ids order; 'none' when it has no instance. */
    readonly states: readonly TaskState[];
    /** The range run whose tasks these are, when one covered the run. */
    readonly range_run_id: string | null;
    /** Not succeeded by its DAG's deadline (see DagRun's deadline_missed_at). */
    readonly deadline_missed: boolean;
    /** An object it read changed at the source since (see DagRun's stale). */
    readonly stale: boolean;
  }[];
  readonly total_runs: number;
  /** Pass as `before` for the previous page; null when there are no older runs. */
  readonly older: string | null;
}

// ---- Data quality and run statistics -----------------------------------------------------------

export interface CheckResult {
  readonly task_id: string;
  readonly try_number: number;
  readonly name: string;
  readonly sql: string | null;
  readonly expected: string;
  readonly actual: string;
  readonly passed: boolean;
  /**
   * For a run a range run covered: the result measured the whole range (a check that cannot be
   * split by interval), not this run's interval alone.
   */
  readonly for_range: boolean;
}

/** GET /dags/{dag_id}/dagRuns/{run_id}/checks */
export interface RunChecks {
  readonly checks: readonly CheckResult[];
  /**
   * Rows each task reported writing, by task id (from its last try's outcome). For a run a range
   * run covered: only the tasks that gave their rows per interval, with this interval's.
   */
  readonly rows: Readonly<Record<string, number>>;
}

/** GET /dags/{dag_id}/stats?limit=N — per run, newest N, oldest first: for the charts. */
export interface RunStats {
  readonly runs: readonly {
    readonly dag_run_id: string;
    readonly logical_date: string;
    readonly state: RunState;
    readonly duration: number | null;
    readonly rows_staged: number;
    readonly rows_loaded: number;
    readonly checks_passed: number;
    readonly checks_failed: number;
  }[];
}

// ---- Backfills -----------------------------------------------------------------------------------

/** POST /backfills and POST /backfills/dry_run */
export interface BackfillBody {
  readonly dag_id: string;
  readonly from_date: string;
  /** Exclusive. */
  readonly to_date: string;
  readonly reprocess_behavior?: Reprocess;
  readonly max_active_runs?: number;
  /**
   * Consecutive intervals one execution (a range run) covers, or `"all"`; default the DAG's
   * backfillPolicy. A failed range is split in halves down to single intervals.
   */
  readonly max_intervals_per_run?: number | 'all';
}

export interface BackfillPreview {
  readonly runs: readonly {
    readonly logical_date: string;
    readonly action: 'create' | 'rerun' | 'adopt' | 'skip';
    readonly existing: RunState | null;
  }[];
  /** The range runs it would make: each over several consecutive intervals, in one execution. */
  readonly range_runs: readonly {
    readonly from_date: string;
    /** Exclusive. */
    readonly to_date: string;
    readonly intervals: number;
  }[];
}

export interface Backfill {
  readonly id: number;
  readonly dag_id: string;
  readonly from_date: string;
  readonly to_date: string;
  readonly reprocess_behavior: Reprocess;
  readonly max_active_runs: number;
  readonly max_intervals_per_run: number | 'all';
  /** creating (its runs are being made), running, success, failed or cancelled. */
  readonly state: BackfillState;
  readonly created_at: string;
  readonly completed_at: string | null;
  readonly progress: {
    readonly total: number;
    readonly success: number;
    readonly failed: number;
    readonly running: number;
    readonly queued: number;
  };
}

// ---- Pools ---------------------------------------------------------------------------------------

/** GET /pools, /pools/{name} */
export interface Pool {
  readonly name: string;
  readonly slots: number;
  readonly description: string;
  /** Slots its running task instances take. */
  readonly running_slots: number;
  /** Slots its task instances ready to run would take. */
  readonly queued_slots: number;
  readonly open_slots: number;
}

/** POST /pools; PATCH /pools/{name} takes `slots` and `description`. */
export interface PoolBody {
  readonly name: string;
  readonly slots: number;
  readonly description?: string;
}

// ---- Connections, users and the session: ./admin.ts ---------------------------------------------

export type * from './admin.ts';

// ---- The warehouse, read-only: the explorer, and a run's rejects and ledger ------------------------

export type * from './warehouse.ts';
