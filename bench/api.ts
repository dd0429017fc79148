/**
 * API and UI latency as history grows: the Sparkify DAG with 720 and 10,000 finished runs in the
 * metadata DB (SQLite and PostgreSQL), a real webserver, and p50/p99 of the routes the UI polls;
 * then Chromium's time from navigation to a drawn, clickable grid. Prints one JSON line.
 * Usage: node --import tsx bench/api.ts [--runs 720,10000] [--no-browser]
 */
import { parseArgs } from 'node:util';
import sparkify from '../pipelines/sparkify/sparkify.dag.ts';
import { addUser, serve, WEB_DIST } from '../src/app/index.ts';
import { createRun, syncDags } from '../src/store/runs/index.ts';
import type { Db, MetadataDialect } from '../src/store/db/index.ts';
import { testDb } from '../src/store/db/testing.ts';
import { launchChromium } from '../test/ui/browser.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '720,10000' },
    'no-browser': { type: 'boolean', default: false },
  },
});
const AUTH = `Basic ${Buffer.from('bench:bench').toString('base64')}`;

/** N finished hourly runs, each with its ten task instances and a successful try that wrote rows. */
async function fill(db: Db, runs: number): Promise<void> {
  const dags = new Map([[sparkify.id, sparkify]]);
  await syncDags(db, { dags, files: new Map(), errors: [] }, Date.now());
  const start = Date.UTC(2018, 10, 1);
  for (let i = 0; i < runs; i += 1) {
    await createRun(db, sparkify, sparkify.runFor(new Date(start + i * 3_600_000), 'backfill'), Date.now());
  }
  await db.execute(
    "UPDATE dag_runs SET state = 'success', started_at = logical_date, ended_at = logical_date + 4000",
  );
  await db.execute(
    "UPDATE task_instances SET state = 'success', try_number = 1, started_at = 1, ended_at = 400, worker = 'bench'",
  );
  await db.execute(
    `INSERT INTO task_tries (ti_id, try_number, state, worker, started_at, ended_at, outcome)
     SELECT id, 1, 'success', 'bench', 1, 400, '{"rowsWritten":{"t":12}}' FROM task_instances`,
  );
  await addUser(db, 'bench', 'bench', Date.now());
  // What autovacuum does after a bulk change; without it PostgreSQL plans on stale statistics.
  if (db.dialect === 'postgres') await db.execute('ANALYZE');
}

function percentile(sorted: number[], p: number): number {
  return Number((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(1));
}

async function latency(url: string, path: string, times = 100): Promise<{ p50: number; p99: number }> {
  const samples: number[] = [];
  for (let i = 0; i < times + 5; i += 1) {
    const started = performance.now();
    const response = await fetch(`${url}${path}`, { headers: { authorization: AUTH } });
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    await response.arrayBuffer();
    if (i >= 5) samples.push(performance.now() - started); // the first few warm the caches
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

async function gridInteractive(url: string): Promise<number> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${url}/login`);
    await page.fill('#username', 'bench');
    await page.fill('#password', 'bench');
    await Promise.all([page.waitForURL(`${url}/`), page.click('button[type=submit]')]);
    const times: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const started = performance.now();
      await page.goto(`${url}/dags/sparkify_etl/grid`);
      await page.locator('[data-testid="grid-cell"]').first().waitFor({ state: 'visible' });
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return percentile(times, 50);
  } finally {
    await browser.close();
  }
}

const results: Record<string, unknown>[] = [];
for (const dialect of ['sqlite', 'postgres'] as MetadataDialect[]) {
  for (const runs of values.runs.split(',').map(Number)) {
    const t = await testDb(dialect);
    try {
      const filling = performance.now();
      await fill(t.db, runs);
      process.stderr.write(
        `${dialect}: ${runs} runs written in ${((performance.now() - filling) / 1000).toFixed(1)} s\n`,
      );
      const server = await serve({
        db: t.db,
        dags: new Map([[sparkify.id, sparkify]]),
        port: 0,
        log: (line) => process.stderr.write(`${line}\n`),
        webRoot: WEB_DIST,
      });
      try {
        const row: Record<string, unknown> = {
          dialect,
          runs,
          grid: await latency(server.url, '/api/v1/dags/sparkify_etl/grid?limit=50'),
          grid_older_page: await latency(
            server.url,
            '/api/v1/dags/sparkify_etl/grid?limit=50&before=2018-11-15T00:00:00Z',
          ),
          dag_runs: await latency(server.url, '/api/v1/dags/sparkify_etl/dagRuns?limit=100'),
          stats: await latency(server.url, '/api/v1/dags/sparkify_etl/stats?limit=200'),
          dags: await latency(server.url, '/api/v1/dags'),
          metrics: await latency(server.url, '/metrics', 20),
        };
        if (!values['no-browser'] && dialect === 'sqlite')
          row.grid_interactive_ms = await gridInteractive(server.url);
        results.push(row);
        process.stderr.write(`${JSON.stringify(row)}\n`);
      } finally {
        await server.close();
      }
    } finally {
      await t.drop();
    }
  }
}
process.stdout.write(`${JSON.stringify({ api: results })}\n`);
