import { Connections, storedConnections } from '../connections/index.ts';
import type { Dag } from '../dag/index.ts';
import { deadlineAlerts, Worker } from '../executor/index.ts';
import { Scheduler } from '../scheduler/index.ts';
import { variableReader } from '../store/admin/index.ts';
import { QueueListener } from '../store/queue/index.ts';
import type { Runtime } from './runtime.ts';
import { sweepSources } from './source-sweep.ts';

export interface Engine {
  readonly scheduler?: Scheduler;
  readonly worker?: Worker;
  stop(): Promise<void>;
}

export interface EngineOptions {
  readonly scheduler: boolean;
  readonly worker: boolean;
  /** @default 4 */
  readonly concurrency?: number;
  /** Only this backfill's runs (a `dags backfill` with no scheduler alive). @default everything */
  readonly backfillId?: number;
  readonly onError?: (error: Error) => void;
  /** The process's own log lines (a failed callback or alert). */
  readonly log?: (line: string) => void;
  /** null keeps logs forever. @default the configuration's (DOWNBEAT_LOG_RETENTION) */
  readonly logRetentionMs?: number | null;
}

/**
 * Starts a scheduler and/or a worker on the runtime's DB and DAGs; in one process they wake each
 * other, across processes LISTEN/NOTIFY wakes the worker (PostgreSQL), else it polls.
 */
export function startEngine(runtime: Runtime, options: EngineOptions): Engine {
  const dags: ReadonlyMap<string, Dag> = runtime.folder.dags;
  const worker = options.worker
    ? new Worker({
        db: runtime.db,
        dags,
        connectionsFor: (dag) => runtime.connectionsFor(dag),
        concurrency: options.concurrency,
        backfillId: options.backfillId,
        heartbeatMs: runtime.config.heartbeatMs,
        variables: variableReader(runtime.db, runtime.config.env),
        log: options.log,
      })
    : undefined;
  const scheduler = options.scheduler
    ? new Scheduler({
        db: runtime.db,
        dags,
        backfillId: options.backfillId,
        zombieAfterMs: runtime.config.zombieAfterMs,
        logRetentionMs:
          options.logRetentionMs === undefined
            ? runtime.config.logRetentionMs
            : (options.logRetentionMs ?? undefined),
        onWork: () => worker?.wake(),
        onDeadlineMisses: deadlineAlerts((dag) => runtime.connectionsFor(dag), options.log),
        ...(runtime.config.sourcesCheckEveryMs === undefined
          ? {}
          : {
              sourcesCheckEveryMs: runtime.config.sourcesCheckEveryMs,
              sweepSources: (now: number) => sweepAndLog(runtime, now, options.log),
              onSourcesSweepError: (e: Error) => options.log?.(`sources check failed: ${e.message}`),
            }),
      })
    : undefined;
  const url = runtime.config.databaseUrl;
  const listener =
    worker && runtime.db.dialect === 'postgres' && url
      ? new QueueListener(url, () => worker.wake())
      : undefined;
  void listener?.start();
  worker?.start();
  scheduler?.start(options.onError);
  return {
    scheduler,
    worker,
    async stop() {
      await scheduler?.stop();
      await worker?.stop();
      await listener?.stop();
    },
  };
}

/**
 * The scheduler's sweep of the sources, with connections of its own closed after it: a scheduler
 * apart from the workers must not keep a DuckDB file open (and locked) between sweeps. In one
 * process with the workers, DuckDB's instance is shared and stays theirs. The runs it marks stale
 * are told to the process's log.
 */
async function sweepAndLog(runtime: Runtime, now: number, log?: (line: string) => void): Promise<void> {
  const stored = await storedConnections(runtime.db, runtime.config);
  const opened = new Map<string, Connections>();
  try {
    const swept = await sweepSources({
      db: runtime.db,
      dags: runtime.folder.dags,
      connectionsFor: (dag) => {
        let connections = opened.get(dag.id);
        if (!connections) {
          connections = new Connections(runtime.config, dag.connectionDefaults, stored);
          opened.set(dag.id, connections);
        }
        return connections;
      },
      now,
    });
    for (const dag of swept)
      if (dag.marked.length > 0)
        log?.(
          `sources check: ${dag.marked.length} run(s) of ${dag.dagId} marked stale (an object they read changed)`,
        );
  } finally {
    await Promise.all([...opened.values()].map((c) => c.close()));
  }
}
