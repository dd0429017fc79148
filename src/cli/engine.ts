import type { Dag } from '../dag/index.ts';
import { Worker } from '../executor/index.ts';
import { Scheduler } from '../scheduler/index.ts';
import { QueueListener, variableReader } from '../store/index.ts';
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
