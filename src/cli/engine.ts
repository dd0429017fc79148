import { retention } from '../config/index.ts';
import type { Dag } from '../dag/index.ts';
import { toError } from '../errors/index.ts';
import { Worker } from '../executor/index.ts';
import { Scheduler } from '../scheduler/index.ts';
import { QueueListener } from '../store/queue/index.ts';
import { variableReader } from '../store/admin/index.ts';
import { UsageError } from './args.ts';
import type { Runtime } from './runtime.ts';

export interface Engine {
  readonly scheduler?: Scheduler;
  readonly worker?: Worker;
  stop(): Promise<void>;
}

/** Starts a scheduler and/or a worker on the runtime's DB and DAGs; in one process they wake each other. */
export function startEngine(
  runtime: Runtime,
  options: {
    scheduler: boolean;
    worker: boolean;
    concurrency?: number;
    backfillId?: number;
    onError?: (error: Error) => void;
    /** The process's own log lines (a failed callback or alert). */
    log?: (line: string) => void;
    /** null keeps logs forever. @default the configuration's (DOWNBEAT_LOG_RETENTION) */
    logRetentionMs?: number | null;
  },
): Engine {
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
      })
    : undefined;
  // Workers of other processes learn of ready work by LISTEN/NOTIFY (PostgreSQL), else by polling.
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

/** The `--log-retention` flag of the commands that run a scheduler: a duration such as 30d, or off. */
export const LOG_RETENTION_HELP = `  --log-retention D   delete the log lines of tries that ended longer ago than D (30d, 12h;
                      at least 1h; off keeps them); runs stay. Default DOWNBEAT_LOG_RETENTION,
                      else logs are kept forever`;

export function logRetentionOption(raw: string | undefined): { logRetentionMs?: number | null } {
  if (raw === undefined) return {};
  try {
    return { logRetentionMs: retention(raw, '--log-retention') ?? null };
  } catch (error) {
    throw new UsageError(toError(error).message);
  }
}
