import { envName } from '../../connections/index.ts';
import { print, reloadOnChange, runtimeFor, type CliIo } from '../context.ts';
import { parse, UsageError } from '../args.ts';
import { startEngine } from '../../app/index.ts';
import { LOG_RETENTION_HELP, logRetentionOption } from '../log-retention.ts';
import { untilStopped } from '../signals.ts';

export const schedulerHelp = `Usage: downbeat scheduler [--log-retention D]

Runs the scheduler until SIGINT or SIGTERM: creates due runs, starts queued runs within
max_active_runs (scheduled before backfill), requeues the tasks of dead workers, and deletes task
logs older than the log retention, if one is set. Several may run. The DAGs folder is loaded again
when a file in it changes.
${LOG_RETENTION_HELP}`;

export const workerHelp = `Usage: downbeat worker [--concurrency N]

Runs tasks from the metadata DB's queue until SIGINT or SIGTERM, then lets the tasks in flight
finish. The DAGs folder is loaded again when a file in it changes. Distributed mode: the metadata DB must be PostgreSQL and no warehouse a DuckDB file
(DuckDB lets one process open it; run \`downbeat standalone\` instead).
  --concurrency N   tasks at once (default 4)`;

export async function schedulerCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { 'log-retention': { type: 'string' } });
  const retention = logRetentionOption(values['log-retention']);
  const runtime = await runtimeFor(io);
  const engine = startEngine(runtime, {
    ...retention,
    scheduler: true,
    worker: false,
    onError: (e) => print(io.stderr, `scheduler: ${e.message}`),
  });
  print(
    io.stdout,
    `scheduler running on ${runtime.db.location} (${runtime.folder.dags.size} DAGs); SIGINT or SIGTERM stops it`,
  );
  const reload = await reloadOnChange(runtime, io);
  await untilStopped();
  reload.close();
  await engine.stop();
  await runtime.close();
  return 0;
}

export async function workerCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { concurrency: { type: 'string' } });
  const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new UsageError(`--concurrency must be a whole number ≥ 1, got "${values.concurrency}"`);
  const runtime = await runtimeFor(io);
  try {
    for (const dag of runtime.folder.dags.values()) {
      const connections = runtime.connectionsFor(dag);
      for (const task of dag.tasks.values()) {
        const id = task.operator.describe().warehouse;
        if (typeof id === 'string' && connections.uri(id).startsWith('duckdb:')) {
          throw new UsageError(
            `DAG ${dag.id} task ${task.id} uses the DuckDB warehouse ${connections.uri(id)}: DuckDB lets one process open it, ` +
              `so it cannot be shared by workers. Use \`downbeat standalone\`, or set ${envName(id)} to a PostgreSQL or Redshift warehouse.`,
          );
        }
      }
    }
  } catch (error) {
    await runtime.close();
    throw error;
  }
  const engine = startEngine(runtime, {
    scheduler: false,
    worker: true,
    concurrency,
    log: (line) => print(io.stderr, line),
  });
  print(
    io.stdout,
    `worker ${engine.worker?.id ?? ''} running ${concurrency} at a time on ${runtime.db.location}; SIGTERM drains it`,
  );
  const reload = await reloadOnChange(runtime, io);
  await untilStopped();
  reload.close();
  print(io.stdout, 'stopping: waiting for the tasks in flight');
  await engine.stop();
  await runtime.close();
  return 0;
}
