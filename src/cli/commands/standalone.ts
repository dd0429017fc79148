import type { Runtime } from '../../app/index.ts';
import { envName } from '../../connections/index.ts';
import { loadPipelineCommands } from '../../loader/index.ts';
import { backfillProgress } from '../../store/read/index.ts';
import { createBackfill } from '../../store/runs/index.ts';
import { parse, UsageError } from '../args.ts';
import { print, reloadOnChange, runtimeFor, type CliIo } from '../context.ts';
import { startEngine } from '../../app/index.ts';
import { LOG_RETENTION_HELP, logRetentionOption } from '../log-retention.ts';
import { untilStopped } from '../signals.ts';
import { portOption, serveHttp } from '../web.ts';

export const help = `Usage: downbeat standalone [--port 8080] [--concurrency 4] [--log-retention D]

Everything in one process, the embedded mode: migrates the metadata DB, then runs the scheduler,
a pool of workers and the web server (UI, REST API, /metrics, /health) until SIGINT or SIGTERM. On its first start, for
each pipeline with sample data whose source connection nobody configured, it writes the sample and
backfills it (Sparkify: November 2018, 720 hourly runs), with progress here. New DAGs are paused,
as in Airflow: backfills and triggered runs still run. The DAGs folder is loaded again when a
file in it changes (a file that now fails keeps its last good DAGs; a removed DAG stops).
  --port N          HTTP port on 127.0.0.1 (default 8080; 0 picks a free one)
  --concurrency N   tasks at once (default 4)
${LOG_RETENTION_HELP}`;

export async function standalone(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    port: { type: 'string' },
    concurrency: { type: 'string' },
    'log-retention': { type: 'string' },
  });
  const port = portOption(values.port);
  const retention = logRetentionOption(values['log-retention']);
  const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new UsageError(`--concurrency must be a whole number ≥ 1, got "${values.concurrency}"`);

  const runtime = await runtimeFor(io);
  let engine: ReturnType<typeof startEngine> | undefined;
  const http = await serveHttp(runtime, io, port, 'shared').catch(async (error: Error) => {
    await runtime.close();
    throw error;
  });
  print(
    io.stdout,
    `Downbeat standalone: metadata ${runtime.db.location}, DAGs ${runtime.config.dagsFolder}, web UI ${http.url} (health ${http.url}/health)`,
  );
  try {
    const { backfills, stopFeeds } = await startSamples(runtime, io);
    engine = startEngine(runtime, {
      ...retention,
      scheduler: true,
      worker: true,
      concurrency,
      onError: (e) => print(io.stderr, `scheduler: ${e.message}`),
      log: (line) => print(io.stderr, line),
    });
    const reload = await reloadOnChange(runtime, io);
    const stopped = untilStopped();
    const report = setInterval(() => {
      void (async () => {
        for (const id of [...backfills]) {
          const p = await backfillProgress(runtime.db, id);
          if (!p) continue;
          print(
            io.stdout,
            `sample backfill ${id}: ${p.success + p.failed}/${p.total} runs (${p.failed} failed)`,
          );
          if (p.state !== 'running') backfills.delete(id);
        }
      })().catch(() => undefined);
    }, 5000);
    print(io.stdout, `${signalName(await stopped)}: stopping; tasks in flight finish first`);
    clearInterval(report);
    reload.close();
    stopFeeds();
    await engine.stop();
    return 0;
  } finally {
    await http.close();
    await runtime.close();
  }
}

/**
 * Writes each pipeline's sample (once), backfills it (once) and starts its live feed; returns the
 * backfills started now and a function that stops the feeds.
 */
async function startSamples(
  runtime: Runtime,
  io: CliIo,
): Promise<{ backfills: Set<number>; stopFeeds: () => void }> {
  const started = new Set<number>();
  const feeds: NodeJS.Timeout[] = [];
  const { samples } = await loadPipelineCommands(runtime.config.dagsFolder);
  for (const sample of samples) {
    const dag = runtime.folder.dags.get(sample.dagId);
    if (!dag) continue;
    if (io.env[envName(sample.connectionId)]) continue; // the user's own source: never written to
    const store = await runtime.connectionsFor(dag).objectStore(sample.connectionId);
    const period = await sample.ensure(store, io);
    const feed = sample.feed?.bind(sample);
    if (feed) {
      const write = () =>
        feed(store, new Date()).catch((error: Error) =>
          print(io.stderr, `${dag.id} sample feed: ${error.message}`),
        );
      await write();
      feeds.push(setInterval(() => void write(), 60_000));
      print(
        io.stdout,
        `${dag.id}: a live feed writes today's sample events into ${store.location} every minute`,
      );
    }
    const [done] = await runtime.db.query('SELECT id FROM backfills WHERE dag_id = $1 LIMIT 1', [dag.id]);
    if (done) continue;
    const { id, plan } = await createBackfill(
      runtime.db,
      dag,
      { start: period.start, end: period.end, reprocess: 'none', maxActiveRuns: dag.maxActiveRuns },
      Date.now(),
    );
    print(io.stdout, `first start: backfilling the ${dag.id} sample, ${plan.length} runs (backfill ${id})`);
    started.add(id);
  }
  return { backfills: started, stopFeeds: () => feeds.forEach((timer) => clearInterval(timer)) };
}

function signalName(name: string): string {
  return name === 'abort' ? 'stopped' : name;
}
