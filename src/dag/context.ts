import type { ObjectStore, Warehouse } from '../ports/index.ts';
import type { DataInterval } from './schedule.ts';

export type RunType = 'scheduled' | 'manual' | 'backfill';

/** One DAG run: the DAG, the interval it is responsible for, and how it came to be. */
export interface RunInfo {
  readonly dagId: string;
  readonly runId: string;
  readonly runType: RunType;
  /** The start of the data interval (Airflow's logical date). */
  readonly logicalDate: Date;
  readonly dataInterval: DataInterval;
  /** The JSON `conf` a manual trigger passed; `{}` otherwise. */
  readonly conf: Readonly<Record<string, unknown>>;
  /**
   * A range run's covered intervals, consecutive and in order (their union is `dataInterval`):
   * what an operator gives its figures by. Absent for a run of one interval.
   */
  readonly intervals?: readonly DataInterval[];
}

/** The intervals a run covers: a range run's, else its one data interval. */
export function coveredIntervals(run: RunInfo): readonly DataInterval[] {
  return run.intervals ?? [run.dataInterval];
}

export interface TaskLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** How a task reaches data: by connection id, never by a concrete adapter. */
export interface ConnectionResolver {
  objectStore(connectionId: string): Promise<ObjectStore>;
  warehouse(connectionId: string): Promise<Warehouse>;
}

/** Variables: key/value configuration kept in the metadata DB (`DOWNBEAT_VAR_<KEY>` overrides). */
export interface VariableReader {
  get(key: string): Promise<string | undefined>;
}

/** Runs and task instances as the metadata DB has them: what a sensor on another DAG reads. */
export interface RunStateReader {
  /**
   * The state of the DAG's run at this logical date, or of one of its task instances; undefined
   * when there is no such run (or task instance).
   */
  state(dagId: string, logicalDate: Date, taskId?: string): Promise<string | undefined>;
}

/** Everything one try of one task may use. */
export interface TaskContext extends RunInfo {
  readonly taskId: string;
  /** 1 for the first try. */
  readonly tryNumber: number;
  /**
   * When this task instance's first try started (kept across retries, reschedules and a lost
   * worker; reset by a clear): a sensor's timeout counts from here, as in Airflow.
   */
  readonly firstTryStartedAt: Date;
  /** The metadata DB's runs, read only (`dags test` without one reads none). */
  readonly runs: RunStateReader;
  readonly log: TaskLogger;
  /** Aborted when the task times out or the run is cancelled: long work must stop when it fires. */
  readonly signal: AbortSignal;
  readonly connections: ConnectionResolver;
  readonly variables: VariableReader;
  /** The engine's clock (the worker's; a fake one in tests): what a task measures waits on. */
  readonly now: () => Date;
  /**
   * The output of one of this task's upstream tasks in this run: what an `fn` returned, or what
   * another operator reported (rows written, checks…); undefined when it gave none (skipped, say).
   * Reading a task that is not upstream of this one throws, naming both.
   */
  output(taskId: string): unknown;
  /** The DAG's params for this run: its conf's values, else their defaults (DagOptions.params). */
  readonly params: Readonly<Record<string, unknown>>;
}

/** Airflow's run id shape: `scheduled__2018-11-15T10:00:00.000Z`. One run per (DAG, logical date). */
export function runIdFor(runType: RunType, logicalDate: Date): string {
  return `${runType}__${logicalDate.toISOString()}`;
}

/**
 * A range run's id: `range__2018-11-01T00:00:00.000Z--2018-12-01T00:00:00.000Z__b7`, its union
 * interval and its backfill (a later backfill may cover the same range again).
 */
export function rangeRunIdFor(start: Date, end: Date, backfillId: number): string {
  return `range__${start.toISOString()}--${end.toISOString()}__b${backfillId}`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * Renders `{{ name }}` placeholders from a date (UTC): `ds` (2018-11-15), `ds_nodash` (20181115),
 * `ts` (ISO-8601), `YYYY`, `MM`, `DD`, `HH`. An unknown placeholder is an error, never left as is.
 */
export function renderTemplate(template: string, date: Date): string {
  const values: Record<string, string> = {
    YYYY: pad(date.getUTCFullYear(), 4),
    MM: pad(date.getUTCMonth() + 1),
    DD: pad(date.getUTCDate()),
    HH: pad(date.getUTCHours()),
    ds: date.toISOString().slice(0, 10),
    ds_nodash: date.toISOString().slice(0, 10).replaceAll('-', ''),
    ts: date.toISOString(),
  };
  return template.replace(/\{\{\s*([A-Za-z_]+)\s*\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new Error(
        `unknown placeholder {{ ${name} }} in "${template}" (known: ${Object.keys(values).join(', ')})`,
      );
    }
    return value;
  });
}

const DAY_MS = 86_400_000;

/** The UTC days that [start, end) touches, as the midnight that starts each. */
export function utcDaysIn(interval: DataInterval): Date[] {
  const days: Date[] = [];
  const first = Math.floor(interval.start.getTime() / DAY_MS) * DAY_MS;
  for (let day = first; day < interval.end.getTime(); day += DAY_MS) days.push(new Date(day));
  return days;
}
