import {
  deadlineMisses,
  liveProcesses,
  queueDepth,
  runsByState,
  taskInstancesByState,
  tryDurations,
} from '../store/read/index.ts';
import type { ServerContext } from './context.ts';

type Counts = Awaited<ReturnType<typeof runsByState>>;

/** What /metrics reads from all of history: ended runs and task instances, try-duration totals. */
export interface HistoryTotals {
  readonly runs: Counts;
  readonly taskInstances: Counts;
  readonly durations: Awaited<ReturnType<typeof tryDurations>>;
}

/**
 * The parts of /metrics whose cost grows with history (counts of ended runs and task instances,
 * try-duration totals), kept for `ttlMs`; the rest of a scrape (what is active, the queue,
 * processes) is read afresh each time, from the state indexes. Once there is a value, a scrape
 * never waits: past its TTL it gets the value it has while one refresh runs in the background.
 * A TTL of 0 aggregates at every scrape.
 */
export class HistoryMetrics {
  readonly #ctx: Pick<ServerContext, 'db' | 'now' | 'log'>;
  readonly #ttlMs: number;
  #value: { at: number; totals: HistoryTotals } | undefined;
  #refreshing: Promise<HistoryTotals> | undefined;

  constructor(ctx: Pick<ServerContext, 'db' | 'now' | 'log'>, ttlMs: number) {
    this.#ctx = ctx;
    this.#ttlMs = ttlMs;
  }

  async get(): Promise<HistoryTotals> {
    const value = this.#value;
    if (value && this.#ctx.now() - value.at < this.#ttlMs) return value.totals;
    const refresh = this.refresh();
    if (!value || this.#ttlMs === 0) return refresh;
    refresh.catch((error: Error) =>
      this.#ctx.log(`/metrics: history totals not refreshed: ${error.message}`),
    );
    return value.totals;
  }

  /** Aggregates again (one aggregation at a time); resolves to the new totals. */
  refresh(): Promise<HistoryTotals> {
    this.#refreshing ??= (async () => {
      try {
        const at = this.#ctx.now();
        const { db } = this.#ctx;
        const totals = {
          runs: await runsByState(db, 'ended'),
          taskInstances: await taskInstancesByState(db, 'ended'),
          durations: await tryDurations(db),
        };
        this.#value = { at, totals };
        return totals;
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }
}

const byDagAndState = (a: Counts[number], b: Counts[number]) =>
  a.dag_id.localeCompare(b.dag_id) || a.state.localeCompare(b.state);

/** /metrics in Prometheus's text format: runs and tasks by state, try durations, queue, scheduler. */
export async function prometheusMetrics(
  ctx: ServerContext,
  history: HistoryMetrics = new HistoryMetrics(ctx, 0),
): Promise<string> {
  const now = ctx.now();
  const out: string[] = [];
  const family = (name: string, type: string, help: string) =>
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  const sample = (name: string, labels: Record<string, string>, value: number) => {
    const text = Object.entries(labels)
      .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
      .join(',');
    out.push(`${name}${text ? `{${text}}` : ''} ${Number.isFinite(value) ? value : 0}`);
  };

  const totals = await history.get();
  const lag = 'ended states counted at most every DOWNBEAT_METRICS_CACHE_SECONDS';
  family('downbeat_dag_runs', 'gauge', `DAG runs in the metadata DB, by DAG and state (${lag}).`);
  for (const r of [...(await runsByState(ctx.db, 'active')), ...totals.runs].sort(byDagAndState))
    sample('downbeat_dag_runs', { dag_id: r.dag_id, state: r.state }, Number(r.n));

  family('downbeat_task_instances', 'gauge', `Task instances, by DAG and state (${lag}).`);
  for (const r of [...(await taskInstancesByState(ctx.db, 'active')), ...totals.taskInstances].sort(
    byDagAndState,
  ))
    sample('downbeat_task_instances', { dag_id: r.dag_id, state: r.state }, Number(r.n));

  family(
    'downbeat_task_try_duration_seconds',
    'summary',
    'Durations of ended tries, by task and outcome (aggregated at most every DOWNBEAT_METRICS_CACHE_SECONDS).',
  );
  for (const r of totals.durations) {
    const labels = { dag_id: r.dag_id, task_id: r.task_id, state: r.state };
    sample('downbeat_task_try_duration_seconds_sum', labels, Number(r.seconds));
    sample('downbeat_task_try_duration_seconds_count', labels, Number(r.n));
  }

  family(
    'downbeat_deadline_misses_total',
    'counter',
    "Scheduled runs not succeeded by their interval end plus their DAG's deadline, by DAG.",
  );
  for (const r of await deadlineMisses(ctx.db))
    sample('downbeat_deadline_misses_total', { dag_id: r.dagId }, r.misses);

  const depth = await queueDepth(ctx.db, now);
  family(
    'downbeat_queue_depth',
    'gauge',
    'Tasks ready to run now (ready) and waiting for their retry delay.',
  );
  sample('downbeat_queue_depth', { kind: 'ready' }, depth.ready);
  sample('downbeat_queue_depth', { kind: 'waiting_retry' }, depth.waiting);

  const processes = await liveProcesses(ctx.db, now, 60_000);
  family('downbeat_processes', 'gauge', 'Processes that heartbeated in the last minute, by kind.');
  for (const kind of ['scheduler', 'worker', 'webserver'])
    sample('downbeat_processes', { kind }, processes.filter((p) => p.kind === kind).length);

  family('downbeat_scheduler_loop_seconds', 'gauge', "Each live scheduler's last loop time.");
  family(
    'downbeat_scheduler_heartbeat_age_seconds',
    'gauge',
    "Seconds since each live scheduler's heartbeat.",
  );
  for (const p of processes.filter((x) => x.kind === 'scheduler')) {
    if (p.loop_ms !== null)
      sample('downbeat_scheduler_loop_seconds', { scheduler: p.id }, Number(p.loop_ms) / 1000);
    sample(
      'downbeat_scheduler_heartbeat_age_seconds',
      { scheduler: p.id },
      (now - Number(p.heartbeat_at)) / 1000,
    );
  }
  return `${out.join('\n')}\n`;
}
