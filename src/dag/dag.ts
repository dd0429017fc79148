import { DownbeatError } from '../errors/index.ts';
import type { Operator } from './operator.ts';
import { CronSchedule, type DataInterval } from './schedule.ts';
import { findCycle } from './graph.ts';
import { runIdFor, type RunInfo, type RunType } from './context.ts';
import { durationMs, type Duration } from './duration.ts';
import { paramProblems, type ParamSpecs } from './params.ts';
import {
  resolveTaskSettings,
  type ResolvedTaskSettings,
  type TaskCallbacks,
  type TaskSettings,
} from './task-settings.ts';

export interface DagOptions {
  /** Letters, digits, `_`, `-` and `.`; unique in the DAGs folder. */
  readonly id: string;
  readonly description?: string;
  /** A 5-field cron expression or preset (`@hourly`, `@daily`, …); `null` runs only when triggered. */
  readonly schedule: string | null;
  /** The first data interval starts here. */
  readonly startDate: Date | string;
  /** Cron fields are read in this time zone. @default 'UTC' */
  readonly timezone?: string;
  /** Create the runs missed since `startDate`. @default false */
  readonly catchup?: boolean;
  /** @default 16 */
  readonly maxActiveRuns?: number;
  readonly defaultArgs?: TaskSettings;
  readonly tags?: readonly string[];
  /**
   * URIs for connections nobody configured, so the DAG runs out of the box (`${DOWNBEAT_HOME}` is
   * replaced). A configured connection always wins.
   */
  readonly connectionDefaults?: Readonly<Record<string, string>>;
  /** Typed values a run takes from its trigger's conf, with defaults (context.params). @default none */
  readonly params?: ParamSpecs;
  /**
   * How many consecutive intervals one execution of a backfill covers (range runs, DESIGN §5.1);
   * `dags backfill --max-intervals-per-run` overrides it. @default { maxIntervalsPerRun: 1 }
   */
  readonly backfillPolicy?: BackfillPolicy;
  /**
   * By when each scheduled interval must be loaded, after its end (Airflow's deadline alerts,
   * Dagster's freshness): a scheduled run not succeeded by then is a miss, recorded on the run
   * (and kept when it succeeds later), alerted once through the DAG's alert connection
   * (`defaultArgs.alertConnection`, default `alert_webhook`) and counted in /metrics. @default none
   */
  readonly deadline?: Duration;
}

/**
 * A backfill's range runs: at most `maxIntervalsPerRun` consecutive intervals (`'all'`: the whole
 * backfill) run as one execution over their union, each interval keeping its own run. Every load
 * must then replace or merge by interval, as the built-in operators do.
 */
export interface BackfillPolicy {
  readonly maxIntervalsPerRun: number | 'all';
}

export interface Task {
  readonly id: string;
  readonly operator: Operator;
  readonly settings: ResolvedTaskSettings;
  readonly callbacks: TaskCallbacks;
  readonly upstream: ReadonlySet<string>;
  readonly downstream: ReadonlySet<string>;
}

/** A DAG whose definition is wrong; names the DAG and every problem found. */
export class DagDefinitionError extends DownbeatError {
  readonly dagId: string;
  readonly problems: readonly string[];

  constructor(dagId: string, problems: readonly string[]) {
    super('dag_definition', `DAG "${dagId}" is invalid: ${problems.join('; ')}`);
    this.dagId = dagId;
    this.problems = problems;
  }
}

const ID_PATTERN = /^[A-Za-z0-9_.-]{1,250}$/;

type TaskRef = string | Task;
type ChainStep = TaskRef | readonly TaskRef[];

interface MutableTask {
  id: string;
  operator: Operator;
  settings: ResolvedTaskSettings;
  callbacks: TaskCallbacks;
  upstream: Set<string>;
  downstream: Set<string>;
}

/** What a DAG's build function receives: add tasks and the edges between them. */
export class DagBuilder {
  readonly #tasks = new Map<string, MutableTask>();
  readonly #problems: string[];
  readonly #defaults: TaskSettings;

  constructor(defaults: TaskSettings, problems: string[]) {
    this.#defaults = defaults;
    this.#problems = problems;
  }

  /** Adds a task; `upstream` names tasks that must succeed first. */
  task(id: string, operator: Operator, options: TaskSettings & { upstream?: readonly TaskRef[] } = {}): Task {
    if (!ID_PATTERN.test(id)) this.#problems.push(`task id "${id}" must match ${ID_PATTERN.source}`);
    if (this.#tasks.has(id)) this.#problems.push(`duplicate task id "${id}"`);
    const { upstream = [], ...settings } = options;
    const merged = { ...this.#defaults, ...settings };
    const task: MutableTask = {
      id,
      operator,
      settings: resolveTaskSettings(id, merged, this.#problems),
      callbacks: { onSuccess: merged.onSuccess, onRetry: merged.onRetry, onFailure: merged.onFailure },
      upstream: new Set(),
      downstream: new Set(),
    };
    if (!this.#tasks.has(id)) this.#tasks.set(id, task);
    for (const ref of upstream) this.edge(ref, id);
    return task;
  }

  /** `from` must succeed before `to` starts. */
  edge(from: TaskRef, to: TaskRef): this {
    const fromId = typeof from === 'string' ? from : from.id;
    const toId = typeof to === 'string' ? to : to.id;
    const source = this.#tasks.get(fromId);
    const target = this.#tasks.get(toId);
    if (!source) this.#problems.push(`edge ${fromId} → ${toId} names unknown task "${fromId}"`);
    if (!target) this.#problems.push(`edge ${fromId} → ${toId} names unknown task "${toId}"`);
    if (source && target) {
      source.downstream.add(toId);
      target.upstream.add(fromId);
    }
    return this;
  }

  /** Airflow's `chain(a, [b, c], d)`: each step runs after every task of the step before. */
  chain(...steps: ChainStep[]): this {
    for (let i = 1; i < steps.length; i += 1) {
      const before = [steps[i - 1] ?? []].flat();
      const after = [steps[i] ?? []].flat();
      for (const from of before) for (const to of after) this.edge(from, to);
    }
    return this;
  }

  tasks(): Map<string, Task> {
    return new Map(this.#tasks);
  }
}

/**
 * Marks a Dag with the module that made it, so that one made by another copy of Downbeat's code
 * (which `instanceof` does not see) can be told apart and named.
 */
export const DAG_BRAND = Symbol.for('downbeat.dag');
export const DAG_COPY = import.meta.url;

/** A validated, immutable DAG. */
export class Dag {
  readonly id: string;
  readonly description: string;
  readonly schedule: CronSchedule | null;
  readonly startDate: Date;
  readonly catchup: boolean;
  readonly maxActiveRuns: number;
  readonly tags: readonly string[];
  readonly connectionDefaults: Readonly<Record<string, string>>;
  readonly params: ParamSpecs;
  readonly backfillPolicy: BackfillPolicy;
  /** After an interval's end, by when its scheduled run must have succeeded; null: no deadline. */
  readonly deadlineMs: number | null;
  /** The connection a deadline miss is alerted through. */
  readonly alertConnection: string;
  readonly tasks: ReadonlyMap<string, Task>;

  constructor(fields: Omit<Dag, 'intervalFor' | 'intervalsBetween' | 'runFor' | 'topologicalOrder'>) {
    this.id = fields.id;
    this.description = fields.description;
    this.schedule = fields.schedule;
    this.startDate = fields.startDate;
    this.catchup = fields.catchup;
    this.maxActiveRuns = fields.maxActiveRuns;
    this.tags = fields.tags;
    this.connectionDefaults = fields.connectionDefaults;
    this.params = fields.params;
    this.backfillPolicy = fields.backfillPolicy;
    this.deadlineMs = fields.deadlineMs;
    this.alertConnection = fields.alertConnection;
    this.tasks = fields.tasks;
    Object.defineProperty(this, DAG_BRAND, { value: DAG_COPY });
  }

  /**
   * The data interval of the run at `logicalDate`. A date between fire times belongs to the interval
   * that contains it; a DAG without a schedule has the empty interval [date, date).
   */
  intervalFor(logicalDate: Date): DataInterval {
    if (!this.schedule) return { start: logicalDate, end: logicalDate };
    return this.schedule.intervalContaining(logicalDate);
  }

  /** The schedule's intervals that start in [start, end), in order. */
  intervalsBetween(start: Date, end: Date): DataInterval[] {
    const intervals: DataInterval[] = [];
    if (!this.schedule) return intervals;
    for (let at = this.intervalFor(start); at.start < end; at = this.intervalFor(at.end))
      if (at.start >= start) intervals.push(at);
    return intervals;
  }

  /** The run for the interval that contains `date`: its logical date is the interval's start. */
  runFor(date: Date, runType: RunType = 'manual', conf: Readonly<Record<string, unknown>> = {}): RunInfo {
    const dataInterval = this.intervalFor(date);
    const logicalDate = dataInterval.start;
    return {
      dagId: this.id,
      runId: runIdFor(runType, logicalDate),
      runType,
      logicalDate,
      dataInterval,
      conf,
    };
  }

  /** Task ids, each after all of its upstream tasks; ties in definition order. */
  topologicalOrder(): string[] {
    const order: string[] = [];
    const remaining = new Map([...this.tasks.values()].map((t) => [t.id, t.upstream.size]));
    const ready = [...remaining].filter(([, count]) => count === 0).map(([id]) => id);
    while (ready.length > 0) {
      const id = ready.shift() as string;
      order.push(id);
      for (const next of this.tasks.get(id)?.downstream ?? []) {
        const count = (remaining.get(next) ?? 0) - 1;
        remaining.set(next, count);
        if (count === 0) ready.push(next);
      }
    }
    return order;
  }
}

/**
 * Defines a DAG. `build` adds its tasks and edges; the result is validated at once, and every
 * problem (a cycle, a duplicate or unknown task id, a bad cron or start date) is reported together
 * in one DagDefinitionError that names the DAG.
 */
export function dag(options: DagOptions, build: (builder: DagBuilder) => void): Dag {
  const problems: string[] = [];
  const id = options.id;
  if (!ID_PATTERN.test(id)) problems.push(`DAG id must match ${ID_PATTERN.source}`);

  let schedule: CronSchedule | null = null;
  if (options.schedule !== null) {
    try {
      schedule = new CronSchedule(options.schedule, options.timezone ?? 'UTC');
    } catch (error) {
      problems.push(`bad schedule: ${(error as Error).message}`);
    }
  }
  const startDate = options.startDate instanceof Date ? options.startDate : new Date(options.startDate);
  if (Number.isNaN(startDate.getTime())) problems.push(`bad start date "${String(options.startDate)}"`);
  const maxActiveRuns = options.maxActiveRuns ?? 16;
  if (!Number.isInteger(maxActiveRuns) || maxActiveRuns < 1) {
    problems.push(`maxActiveRuns must be a whole number ≥ 1, got ${maxActiveRuns}`);
  }

  const backfillPolicy = options.backfillPolicy ?? { maxIntervalsPerRun: 1 };
  const perRun = backfillPolicy.maxIntervalsPerRun;
  if (perRun !== 'all' && !(Number.isInteger(perRun) && perRun >= 1)) {
    problems.push(
      `backfillPolicy.maxIntervalsPerRun must be a whole number ≥ 1 or 'all', got ${String(perRun)}`,
    );
  }
  problems.push(...paramProblems(options.params ?? {}, options.schedule !== null));
  let deadlineMs: number | null = null;
  if (options.deadline !== undefined) {
    try {
      deadlineMs = durationMs(options.deadline);
    } catch (error) {
      problems.push(`deadline: ${(error as Error).message}`);
    }
    if (options.schedule === null)
      problems.push('a deadline needs a schedule: it is counted from each interval end');
  }
  const builder = new DagBuilder(options.defaultArgs ?? {}, problems);
  try {
    build(builder);
  } catch (error) {
    problems.push(`its build function threw: ${(error as Error).message}`);
  }
  const tasks = builder.tasks();
  if (tasks.size === 0) problems.push('it has no tasks');
  const cycle = findCycle([...tasks.values()].map((t) => ({ id: t.id, next: [...t.downstream] })));
  if (cycle) problems.push(`cycle: ${cycle.join(' → ')}`);
  if (problems.length > 0) throw new DagDefinitionError(id, problems);

  return new Dag({
    id,
    description: options.description ?? '',
    schedule,
    startDate,
    catchup: options.catchup ?? false,
    maxActiveRuns,
    tags: options.tags ?? [],
    connectionDefaults: options.connectionDefaults ?? {},
    params: options.params ?? {},
    backfillPolicy: { maxIntervalsPerRun: perRun },
    deadlineMs,
    alertConnection: options.defaultArgs?.alertConnection ?? 'alert_webhook',
    tasks,
  });
}

/** A DAG as JSON: what the metadata DB keeps and the UI draws. */
export interface DagSpec {
  readonly id: string;
  readonly description: string;
  readonly schedule: string | null;
  readonly timezone: string;
  readonly startDate: string;
  readonly catchup: boolean;
  readonly maxActiveRuns: number;
  readonly tags: readonly string[];
  readonly params: ParamSpecs;
  readonly backfillPolicy: BackfillPolicy;
  /** Milliseconds after each interval's end; null: none. */
  readonly deadlineMs: number | null;
  readonly tasks: readonly {
    readonly id: string;
    readonly kind: string;
    readonly config: Record<string, unknown>;
    readonly settings: ResolvedTaskSettings;
    readonly upstream: readonly string[];
  }[];
}

export function dagSpec(dag: Dag): DagSpec {
  return {
    id: dag.id,
    description: dag.description,
    schedule: dag.schedule?.expression ?? null,
    timezone: dag.schedule?.timezone ?? 'UTC',
    startDate: dag.startDate.toISOString(),
    catchup: dag.catchup,
    maxActiveRuns: dag.maxActiveRuns,
    tags: dag.tags,
    params: dag.params,
    backfillPolicy: dag.backfillPolicy,
    deadlineMs: dag.deadlineMs,
    tasks: dag.topologicalOrder().map((id) => {
      const task = dag.tasks.get(id) as Task;
      return {
        id,
        kind: task.operator.kind,
        config: task.operator.describe(),
        settings: task.settings,
        upstream: [...task.upstream],
      };
    }),
  };
}
