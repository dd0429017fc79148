/**
 * The web UI in a real Chromium against a real `downbeat standalone` (SQLite metadata, DuckDB
 * warehouse, the Sparkify sample month): what a new user does, step by step, with a screenshot
 * of each view (the folder is printed; look at them).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Api from '../../src/server/api/types.ts';
import { sparkifyAnalyses } from '../../pipelines/sparkify/analyses.ts';
import { openUiSession, type UiSession } from './browser.ts';

const REPO = new URL('../../', import.meta.url).pathname;
const USER = 'newcomer';
const PASSWORD = 'sparkify-rocks';
const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

/** A DAG whose one task fails (no retries) until FLAKY_MARKER exists: a late source. */
const FLAKY_DAG = `import { existsSync } from 'node:fs';
import { dag, TaskFailure, type Operator } from 'downbeat';

const waitForSource: Operator = {
  kind: 'sensor',
  describe: () => ({ file: 'FLAKY_MARKER' }),
  execute(context) {
    const marker = process.env.FLAKY_MARKER ?? '';
    if (!existsSync(marker)) {
      context.log.error(\`marker file \${marker} is missing: the source has not arrived\`);
      return Promise.reject(new TaskFailure('source_missing', \`marker file \${marker} is missing\`));
    }
    context.log.info(\`marker file \${marker} found\`);
    return Promise.resolve({ rowsWritten: { arrivals: 1 }, output: { arrived: true, marker: 'FLAKY_MARKER' } });
  },
};

export default dag({
  id: 'flaky',
  schedule: '@daily',
  startDate: '2018-11-01',
  defaultArgs: { retries: 0 },
  params: {
    source: { type: 'enum', values: ['late', 'on_time'], default: 'late', description: 'when the source arrives' },
    batch: { type: 'integer', default: 100 },
  },
}, (d) => {
  d.task('wait_for_source', waitForSource);
});
`;

/** A sensor that waits, slot freed, for its day's file in a landing folder; then a task in a pool. */
const LATE_FILE_DAG = `import { dag, noop, waitForObjects } from 'downbeat';

export default dag({
  id: 'late_file',
  schedule: null,
  startDate: '2018-11-01',
  connectionDefaults: { landing: 'file://\${DOWNBEAT_HOME}/landing' },
}, (d) => {
  d.chain(
    d.task('wait_for_file', waitForObjects({
      connection: 'landing',
      keys: 'arrivals/{{ ds }}.json',
      mode: 'reschedule',
      pokeInterval: '1s',
      timeout: '10m',
    })),
    d.task('load', noop(), { pool: 'warehouse' }),
  );
});
`;

/**
 * A day's plays staged with a reject limit (three of its lines cannot be read), and a reconciliation:
 * the rows staged for the run = those the staging manifest counted.
 */
const REJECTS_DAG = `import { checks, dag, dataQuality, sql, stageJson } from 'downbeat';

const runObjects = 'SELECT object_key FROM _downbeat_run_objects WHERE run_id = $run_id';
export default dag({
  id: 'rejects_demo',
  schedule: '@daily',
  startDate: '2018-11-01',
  connectionDefaults: { plays_source: 'file://\${DOWNBEAT_HOME}/plays' },
}, (d) => {
  d.chain(
    d.task('create_table', sql({
      statements: ['CREATE TABLE IF NOT EXISTS demo_plays (song VARCHAR, ts BIGINT, _source_key VARCHAR, _source_line BIGINT)'],
    })),
    d.task('stage_plays', stageJson({
      source: 'plays_source',
      table: 'demo_plays',
      objects: { every: 'day', key: 'days/{{ ds }}.json' },
      framing: 'ndjson',
      columns: [{ name: 'song', type: 'text' }, { name: 'ts', type: 'bigint', required: true }],
      rejectLimit: 10,
    })),
    d.task('check_plays', dataQuality({ checks: [checks.reconcile(
      'rows staged = rows the manifest counted',
      \`SELECT COUNT(*) FROM demo_plays WHERE _source_key IN (\${runObjects})\`,
      \`SELECT COALESCE(SUM(row_count), 0) FROM _downbeat_staged_objects WHERE table_name = 'demo_plays' AND object_key IN (\${runObjects})\`,
    )] })),
  );
});
`;

let session: UiSession;
let root: string;
let shots: string;
let url: string;
let browser: Browser;
let page: Page;

async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${url}${path}`, { headers: { authorization: AUTH } });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function post(path: string, body: unknown, method = 'POST'): Promise<void> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: AUTH, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
}

async function until<T>(what: string, check: () => Promise<T | undefined | false>, ms = 240_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}: not after ${ms / 1000} s\n${session.output().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

beforeAll(async () => {
  session = await openUiSession({
    prefix: 'downbeat-ui-',
    dags: {
      'sparkify.dag.ts': `export { default } from '${REPO}pipelines/sparkify/sparkify.dag.ts';\n`,
      'sparkify.cli.ts': `export { default, samples } from '${REPO}pipelines/sparkify/sparkify.cli.ts';\n`,
      'flaky.dag.ts': FLAKY_DAG,
      'late-file.dag.ts': LATE_FILE_DAG,
      'rejects.dag.ts': REJECTS_DAG,
    },
    user: USER,
    password: PASSWORD,
    env: (folder) => ({ FLAKY_MARKER: join(folder, 'arrived') }),
  });
  ({ root, shots, url, browser, page } = session);
}, 150_000);

afterAll(() => session?.close());

describe('the web UI, as a new user uses it', () => {
  it('sends a visitor to the login page, and lets the user in', async () => {
    await page.goto(`${url}/dags/sparkify_etl/grid`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await shot('01-login');
    await page.getByLabel('User name').fill(USER);
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Wrong user name or password');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${url}/dags/sparkify_etl/grid`);
    await expect.poll(() => page.getByTestId('username').textContent()).toBe(USER);
  });

  it('shows the Sparkify DAG and, once the sample backfill is done, its month of runs', async () => {
    await page.goto(`${url}/`);
    const row = page.locator('[data-testid="dag-row"][data-dag-id="sparkify_etl"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('0 * * * *');
    await shot('02-dag-list');
    await until('the sample backfill ends', async () => {
      const backfills = await api<Api.Page<Api.Backfill>>('/api/v1/backfills?dag_id=sparkify_etl');
      return backfills.items[0]?.state === 'success';
    });
    await page.goto(`${url}/dags/sparkify_etl/grid`);
    await expect.poll(() => page.getByTestId('grid-count').textContent()).toContain('720');
    expect(await page.locator('[data-testid="grid-cell"][data-state="success"]').count()).toBe(50 * 10);
    await shot('03-grid');
    // By keyboard alone: Tab reaches a grid cell, Enter opens its task instance.
    for (let i = 0; i < 100; i += 1) {
      await page.keyboard.press('Tab');
      const focused = await page.locator(':focus').getAttribute('data-testid');
      if (focused === 'grid-cell') break;
    }
    expect(await page.locator(':focus').getAttribute('data-testid')).toBe('grid-cell');
    await page.keyboard.press('Enter');
    await page.getByTestId('task-instance-view').waitFor();
    expect(page.url()).toContain('/tasks/');
    await page.goto(`${url}/dags/sparkify_etl/graph`);
    await expect.poll(() => page.getByTestId('graph-node').count()).toBe(10);
    await shot('04-graph');
    await page.setViewportSize({ width: 420, height: 900 });
    await page.goto(`${url}/dags/sparkify_etl/grid`);
    await page.getByTestId('grid').waitFor();
    await shot('05-grid-narrow');
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 300_000);

  it('triggers a run; its failed task shows its log; after a clear it succeeds', async () => {
    await page.goto(`${url}/`);
    const flaky = page.locator('[data-testid="dag-row"][data-dag-id="flaky"]');
    await flaky.getByRole('button', { name: 'Trigger flaky' }).click();
    await flaky.getByTestId('trigger-date').fill('2018-11-05T00:00');
    // The DAG's params as a form, their defaults filled in.
    await expect.poll(() => flaky.getByTestId('param-source').inputValue()).toBe('late');
    await flaky.getByTestId('param-batch').fill('250');
    await shot('06-trigger');
    await flaky.getByTestId('trigger-submit').click();
    await flaky.getByTestId('trigger-created').waitFor();

    await page.goto(`${url}/dags/flaky/grid`);
    const cell = page.locator('[data-testid="grid-cell"][data-state="failed"]');
    await cell.first().waitFor({ timeout: 60_000 });
    await cell.first().click();
    await page.getByTestId('task-instance-view').waitFor();
    await expect
      .poll(() => page.getByTestId('log-lines').textContent())
      .toContain('the source has not arrived');
    expect(await page.getByTestId('try-error').textContent()).toContain('source_missing');
    await shot('07-task-failed');

    await writeFile(join(root, 'arrived'), 'yes');
    await page.getByTestId('clear-task').click();
    await page.getByTestId('clear-task-confirm').click();
    await expect.poll(() => page.getByTestId('try-tab').count(), { timeout: 60_000 }).toBe(2);
    await expect
      .poll(() => page.getByTestId('task-instance-view').textContent(), { timeout: 60_000 })
      .toContain('success');
    await expect.poll(() => page.getByTestId('log-lines').textContent()).toContain('found');
    // What the task returned: its output, kept with the try.
    await expect.poll(() => page.getByTestId('try-output').textContent()).toContain('"arrived": true');
    await shot('08-task-after-clear');
    const runs = await api<Api.Page<Api.DagRun>>('/api/v1/dags/flaky/dagRuns');
    expect(runs.items.map((r) => r.state)).toEqual(['success']);
    expect(runs.items[0]?.conf).toEqual({ source: 'late', batch: 250 });

    // Mark it failed by hand, then see what a clear with its past and future runs would take.
    await page.getByTestId('mark-task-failed').click();
    await page.getByTestId('mark-task-failed-confirm').click();
    await expect.poll(() => page.getByTestId('task-instance-view').textContent()).toContain('failed');
    expect(await page.getByTestId('marked-by').textContent()).toContain(USER);
    await page.getByTestId('clear-future').check();
    await page.getByTestId('clear-past').check();
    await page.getByTestId('clear-task').click();
    await page.getByTestId('clear-preview').waitFor();
    expect(await page.getByTestId('clear-preview').textContent()).toContain('wait_for_source');
    await shot('08b-marked-failed-clear-preview');
    await page.getByTestId('mark-task-success').click();
    await page.getByTestId('mark-task-success-confirm').click();
    await expect
      .poll(
        async () =>
          (
            await api<Api.TaskInstance>(
              `/api/v1/dags/flaky/dagRuns/${encodeURIComponent(runs.items[0]?.dag_run_id ?? '')}/taskInstances/wait_for_source`,
            )
          ).state,
      )
      .toBe('success');
  }, 180_000);

  it('previews a backfill, starts it, and shows its progress to the end', async () => {
    await page.goto(`${url}/backfills?dag_id=sparkify_etl`);
    await page.getByTestId('backfill-dag').selectOption('sparkify_etl');
    await page.getByTestId('backfill-from').fill('2018-11-30T12:00');
    await page.getByTestId('backfill-to').fill('2018-12-01T00:00');
    await page.getByTestId('backfill-reprocess').selectOption('completed');
    await page.getByTestId('backfill-per-run').fill('6');
    await page.getByTestId('backfill-preview').click();
    const rerun = page.getByTestId('preview-rerun');
    await rerun.waitFor();
    expect(await rerun.getAttribute('data-count')).toBe('12');
    // Twelve hours in range runs of six: two executions, each hour keeping its own run.
    expect(await page.getByTestId('preview-range-runs').getAttribute('data-count')).toBe('2');
    await shot('09-backfill-preview');
    await page.getByTestId('backfill-start').click();
    await page.getByTestId('backfill-started').waitFor();
    const newest = page.getByTestId('backfill-row').first();
    await shot('10-backfill-progress');
    await expect.poll(() => newest.getAttribute('data-state'), { timeout: 120_000 }).toBe('success');
    const bar = newest.getByTestId('backfill-progress');
    expect(await bar.getAttribute('aria-valuenow')).toBe('12');
    await shot('11-backfill-done');
  }, 180_000);

  it("shows a run's data-quality results and rows, and the charts over time", async () => {
    await page.goto(
      `${url}/dags/sparkify_etl/runs/${encodeURIComponent('backfill__2018-11-15T10:00:00.000Z')}`,
    );
    const checks = page.locator('[data-testid="check-row"]');
    await checks.first().waitFor();
    expect(await checks.count()).toBeGreaterThanOrEqual(10);
    expect(await page.locator('[data-testid="check-row"][data-passed="false"]').count()).toBe(0);
    expect(await page.getByTestId('checks-table').textContent()).toMatch(/songplays/i);
    // The first start loaded the month in one range run: this hour shows it, its own
    // reconciliation, and the checks measured once for the range, marked so.
    await page.getByTestId('run-range').waitFor();
    expect(await page.getByTestId('check-for-range').count()).toBeGreaterThan(0);
    await shot('12-run-checks');
    await page.goto(`${url}/dags/sparkify_etl/stats`);
    await page.getByTestId('chart-rows').waitFor();
    await page.getByTestId('chart-durations').waitFor();
    await expect
      .poll(() => page.getByTestId('chart-durations').locator('.recharts-bar-rectangle').count())
      .toBeGreaterThan(0);
    expect(await page.getByTestId('chart-rows').locator('.recharts-line').count()).toBe(2);
    await shot('13-stats');
  });

  it("shows a run's rejected lines, paged, and its ledger with a pass/fail badge", async () => {
    const plays = join(root, 'home', 'plays', 'days');
    await mkdir(plays, { recursive: true });
    const lines = Array.from({ length: 60 }, (_, i) =>
      i % 20 === 7
        ? `{"song": "Cut off", "ts": 1541${i}`
        : JSON.stringify({ song: `song ${i}`, ts: 1541548800000 + i }),
    );
    await writeFile(join(plays, '2018-11-07.json'), `${lines.join('\n')}\n`);
    await post('/api/v1/dags/rejects_demo/dagRuns', { logical_date: '2018-11-07T00:00:00Z' });
    const run = await until('the rejects_demo run succeeds', async () => {
      const runs = await api<Api.Page<Api.DagRun>>('/api/v1/dags/rejects_demo/dagRuns');
      return runs.items[0]?.state === 'success' && runs.items[0];
    });
    await page.goto(`${url}/dags/rejects_demo/runs/${encodeURIComponent(run.dag_run_id)}`);
    await page.getByTestId('run-tab-rejects').click();
    const rows = page.getByTestId('reject-row');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.nth(0).textContent()).toContain('days/2018-11-07.json');
    expect(await rows.nth(0).locator('td.num').textContent()).toBe('8');
    expect(await rows.nth(0).textContent()).toContain('not valid JSON');
    const table = page.getByTestId('ledger-table');
    expect(await table.getAttribute('data-balanced')).toBe('true');
    expect(await table.locator('td.num').allTextContents()).toEqual(['1', '60', '57', '3']);
    expect(await page.getByTestId('ledger-reconciliation').getAttribute('data-passed')).toBe('true');
    expect(await page.getByTestId('ledger-verdict').textContent()).toBe('passed');
    await shot('12b-run-rejects');
    // A Sparkify hour of the month's range run: its day file balanced, its own reconciliation.
    await page.goto(
      `${url}/dags/sparkify_etl/runs/${encodeURIComponent('backfill__2018-11-15T10:00:00.000Z')}?tab=rejects`,
    );
    await page.getByTestId('no-rejects').waitFor();
    expect(await page.getByTestId('ledger-table').getAttribute('data-balanced')).toBe('true');
    expect(await page.getByTestId('ledger-reconciliation').textContent()).toContain('NextSong events');
    expect(await page.getByTestId('ledger-verdict').textContent()).toBe('passed');
    await shot('12c-run-ledger-sparkify');
  }, 120_000);

  it("shows the warehouse's tables, a page of rows, and a query typed and its result", async () => {
    const tables = await api<Api.Page<Api.WarehouseTable>>('/api/v1/warehouse/tables');
    const names = tables.items.map((t) => t.name);
    for (const name of ['songplays', 'users', 'songs', 'artists', 'time', 'staging_events', 'staging_songs'])
      expect(names).toContain(name);
    const plays = tables.items.find((t) => t.name === 'songplays')?.row_count ?? 0;
    expect(plays).toBeGreaterThan(50);
    await page.goto(`${url}/warehouse`);
    const songplays = page.locator('[data-testid="warehouse-table"][data-table="songplays"]');
    await songplays.waitFor();
    expect(await songplays.getByTestId('warehouse-table-rows').textContent()).toBe(
      plays.toLocaleString('en-US'),
    );
    await songplays.getByRole('link', { name: 'songplays' }).click();
    const tablePage = page.getByTestId('table-page');
    await expect.poll(() => tablePage.getByTestId('result-row').count()).toBe(50);
    await tablePage.getByTestId('table-next').waitFor();

    await page.getByTestId('query-sql').fill('');
    await page
      .getByTestId('query-sql')
      .pressSequentially('SELECT level, count(*) AS plays FROM songplays GROUP BY level ORDER BY level');
    await page.getByTestId('query-run').click();
    const result = page.getByTestId('query-result');
    await result.waitFor();
    const rows = result.getByTestId('result-row');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).locator('td').first().textContent()).toBe('free');
    expect(await rows.nth(1).locator('td').first().textContent()).toBe('paid');
    const perLevel = await rows.locator('td.number').allTextContents();
    expect(perLevel.reduce((sum, text) => sum + Number(text.replace(/,/g, '')), 0)).toBe(plays);
    await shot('13b-warehouse-query');

    await page.getByTestId('query-sql').fill('DROP TABLE songplays');
    await page.getByTestId('query-run').click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('only a SELECT may run');
    await shot('13c-warehouse-refused');
    const after = await api<Api.Page<Api.WarehouseTable>>('/api/v1/warehouse/tables');
    expect(after.items.find((t) => t.name === 'songplays')?.row_count).toBe(plays);
  });

  it("charts Sparkify's analyses from the warehouse, each with its period and the query it ran", async () => {
    const tables = await api<Api.Page<Api.WarehouseTable>>('/api/v1/warehouse/tables');
    const plays = tables.items.find((t) => t.name === 'songplays')?.row_count ?? 0;
    await page.goto(`${url}/`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sparkify' }).click();
    await page.waitForURL(`${url}/sparkify`);
    const cards = page.getByTestId('analysis');
    await expect.poll(() => cards.count()).toBe(sparkifyAnalyses.length);
    await expect.poll(() => page.getByTestId('analysis-period').count(), { timeout: 30_000 }).toBe(6);
    expect(await page.getByTestId('error').count()).toBe(0);
    const card = (id: string) => page.locator(`[data-testid="analysis"][data-analysis="${id}"]`);
    // Every play, in the sample month, counted once by hour: 24 bars.
    const perHour = await card('plays-per-hour').getByTestId('analysis-period').textContent();
    expect(perHour).toMatch(/2018-11-01 \d\d:\d\d:\d\d to 2018-11-30 \d\d:\d\d:\d\d UTC/);
    expect(perHour).toContain(`${plays.toLocaleString('en-US')} plays`);
    // One bar per hour and per day, drawn by Recharts.
    await expect.poll(() => card('plays-per-hour').locator('.recharts-bar-rectangle').count()).toBe(24);
    expect(await card('plays-per-day').locator('.recharts-bar-rectangle').count()).toBe(30);
    for (const id of ['top-songs', 'top-artists', 'top-user-agents'])
      expect([id, await card(id).getByTestId('ranking-row').count()]).toEqual([id, 10]);
    expect(await card('top-songs').getByTestId('analysis-period').textContent()).toContain('matched plays');
    expect(await card('free-vs-paid').getByTestId('analysis-lines').count()).toBe(2);
    // "Show query" shows the very SQL that was sent.
    const toggle = card('top-songs').getByTestId('analysis-toggle-sql');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await card('top-songs').getByTestId('analysis-sql').textContent()).toBe(
      sparkifyAnalyses.find((a) => a.id === 'top-songs')?.sql,
    );
    await shot('13d-sparkify');

    // A warehouse that is not there yet: the page says so, and draws nothing.
    await post('/api/v1/connections', { connection_id: 'warehouse', uri: `duckdb://${root}/later.duckdb` });
    try {
      await page.reload();
      const notReady = page.getByTestId('sparkify-not-ready');
      await notReady.waitFor();
      expect(await notReady.getAttribute('data-state')).toBe('unavailable');
      expect(await notReady.textContent()).toContain('The warehouse is not there yet');
      expect(await page.getByTestId('analysis').count()).toBe(0);
      await shot('13e-sparkify-no-warehouse');
    } finally {
      await post('/api/v1/connections/warehouse', undefined, 'DELETE');
    }
    await page.reload();
    await expect.poll(() => page.getByTestId('analysis-period').count(), { timeout: 30_000 }).toBe(6);
  });

  it('adds a connection and never shows its password', async () => {
    await page.goto(`${url}/connections`);
    await page.getByTestId('connection-id').fill('redshift');
    await page.getByTestId('connection-uri').fill('postgres://etl:Hunter2-secret@warehouse:5432/dw');
    await page.getByTestId('connection-add').click();
    const row = page.locator('[data-testid="connection-row"][data-connection-id="redshift"]');
    await row.waitFor();
    expect(await page.content()).not.toContain('Hunter2-secret');
    await shot('14-connections');
  });

  it('shows a sensor waiting, its slot freed, as up_for_reschedule; sets the pool its next task takes', async () => {
    await page.goto(`${url}/pools`);
    await page.getByTestId('pool-name').fill('warehouse');
    await page.getByTestId('pool-slots').fill('2');
    await page.getByTestId('pool-set').click();
    const pool = page.locator('[data-testid="pool-row"][data-pool="warehouse"]');
    await pool.waitFor();
    expect(await pool.textContent()).toContain('2');
    await shot('15-pools');

    await post('/api/v1/dags/late_file/dagRuns', { logical_date: '2018-11-07T00:00:00Z' });
    await page.goto(`${url}/dags/late_file/grid`);
    const waiting = page.locator('[data-testid="grid-cell"][data-state="up_for_reschedule"]');
    await waiting.first().waitFor({ timeout: 60_000 });
    expect(await waiting.first().getAttribute('class')).toContain('state-up_for_reschedule');
    await shot('16-sensor-up-for-reschedule');
    await waiting.first().click();
    await expect
      .poll(() => page.getByTestId('log-lines').textContent(), { timeout: 30_000 })
      .toContain('waiting for arrivals/2018-11-07.json');
    await mkdir(join(root, 'home', 'landing', 'arrivals'), { recursive: true });
    await writeFile(join(root, 'home', 'landing', 'arrivals', '2018-11-07.json'), '{}\n');
    await until('the late_file run succeeds', async () => {
      const runs = await api<Api.Page<Api.DagRun>>('/api/v1/dags/late_file/dagRuns');
      return runs.items[0]?.state === 'success';
    });
    await page.goto(`${url}/dags/late_file/grid`);
    await expect.poll(() => page.locator('[data-testid="grid-cell"][data-state="success"]').count()).toBe(2);
    await shot('17-sensor-done');
  }, 120_000);

  it('lets an admin add a viewer on the Users page; the viewer sees no trigger, clear, mark, backfill, pool or connection form', async () => {
    await page.goto(`${url}/users`);
    await page.getByTestId('user-name').fill('watcher');
    await page.getByTestId('user-role').selectOption('viewer');
    await page.getByTestId('user-password').fill('just-looking');
    await page.getByTestId('user-add').click();
    const added = page.locator('[data-testid="user-row"][data-username="watcher"]');
    await added.waitFor();
    expect(await added.getByTestId('user-set-role').inputValue()).toBe('viewer');
    await shot('18-users');

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const viewer = await context.newPage();
    try {
      await viewer.goto(`${url}/login`);
      await viewer.getByLabel('User name').fill('watcher');
      await viewer.getByLabel('Password').fill('just-looking');
      await viewer.getByRole('button', { name: 'Sign in' }).click();
      await viewer.locator('[data-testid="dag-row"][data-dag-id="sparkify_etl"]').waitFor();
      expect(await viewer.getByTestId('role').textContent()).toBe('viewer');
      expect(await viewer.getByTestId('trigger-button').count()).toBe(0);
      expect(await viewer.getByTestId('pause-toggle').count()).toBe(0);
      expect(await viewer.getByTestId('pause-state').count()).toBeGreaterThan(0);
      expect(await viewer.getByRole('navigation', { name: 'Main' }).textContent()).not.toContain(
        'Connections',
      );
      await viewer.screenshot({ path: join(shots, '19-viewer-dag-list.png'), fullPage: true });

      const [run] = (await api<Api.Page<Api.DagRun>>('/api/v1/dags/flaky/dagRuns?limit=1')).items;
      const runPage = `${url}/dags/flaky/runs/${encodeURIComponent(run?.dag_run_id ?? '')}`;
      await viewer.goto(runPage);
      await viewer.getByTestId('run-view').waitFor();
      expect(await viewer.getByTestId('clear-run').count()).toBe(0);
      expect(await viewer.getByTestId('mark-run-success').count()).toBe(0);
      await viewer.goto(`${runPage}/tasks/wait_for_source`);
      await viewer.getByTestId('log-lines').waitFor();
      expect(await viewer.getByTestId('clear-task').count()).toBe(0);
      expect(await viewer.getByTestId('mark-task-failed').count()).toBe(0);
      await viewer.screenshot({ path: join(shots, '20-viewer-task-instance.png'), fullPage: true });

      await viewer.goto(`${url}/backfills`);
      await viewer.getByRole('heading', { name: 'Backfills', level: 2 }).waitFor();
      expect(await viewer.getByTestId('backfill-form').count()).toBe(0);
      await viewer.goto(`${url}/pools`);
      await viewer.locator('[data-testid="pool-row"][data-pool="warehouse"]').waitFor();
      expect(await viewer.getByTestId('pool-form').count()).toBe(0);
      expect(await viewer.getByTestId('pool-delete').count()).toBe(0);
      await viewer.goto(`${url}/connections`);
      await expect
        .poll(() => viewer.getByTestId('admin-only').textContent())
        .toBe('Connections are for admins; watcher is a viewer.');
      expect(await viewer.getByTestId('connection-form').count()).toBe(0);
      expect(await viewer.content()).not.toContain('redshift');
      await viewer.screenshot({ path: join(shots, '21-viewer-connections.png'), fullPage: true });
      // What the UI hides, the server refuses.
      const refused = await viewer.evaluate(async () => {
        const session = (await (await fetch('/api/v1/auth/session')).json()) as { csrf_token: string };
        const response = await fetch('/api/v1/dags/flaky/dagRuns', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrf_token },
          body: JSON.stringify({ logical_date: '2018-11-20T00:00:00Z' }),
        });
        return { status: response.status, body: await response.text() };
      });
      expect(refused.status).toBe(403);
      expect(refused.body).toContain('needs the op role; watcher is a viewer');

      // A new password, set by the admin, ends the viewer's session.
      await page.reload();
      await added.getByTestId('user-reset').click();
      await added.getByTestId('user-new-password').fill('a-new-secret');
      await added.getByTestId('user-reset-save').click();
      await added.getByTestId('user-reset').waitFor();
      expect(await page.content()).not.toContain('a-new-secret');
      await viewer.goto(`${url}/pools`);
      expect(new URL(viewer.url()).pathname).toBe('/login');
    } finally {
      await context.close();
    }
  }, 120_000);

  it('shows an admin the audit log (a failed login, a user added, no password), filtered by action; it is hidden from a viewer', async () => {
    await post('/api/v1/users', { username: 'auditee', role: 'viewer', password: 'audited-secret' });
    await page.goto(`${url}/audit`);
    await page.locator('[data-testid="audit-row"][data-action="user.create"]').first().waitFor();
    const failed = page.locator('[data-testid="audit-row"][data-action="login.failed"]');
    expect(await failed.first().textContent()).toContain(USER);
    await page.getByTestId('audit-action').selectOption('user.create');
    await page.getByTestId('audit-apply').click();
    const actions = async () =>
      new Set(
        await Promise.all(
          (await page.getByTestId('audit-row').all()).map((r) => r.getAttribute('data-action')),
        ),
      );
    await expect.poll(actions).toEqual(new Set(['user.create']));
    const row = page.locator('[data-testid="audit-row"]', { hasText: 'auditee' });
    expect(await row.textContent()).toContain('"password":"***"');
    expect(await page.content()).not.toContain('audited-secret');
    await shot('22-audit-log');

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const viewer = await context.newPage();
    try {
      await viewer.goto(`${url}/login`);
      await viewer.getByLabel('User name').fill('auditee');
      await viewer.getByLabel('Password').fill('audited-secret');
      await viewer.getByRole('button', { name: 'Sign in' }).click();
      await viewer.getByTestId('role').waitFor();
      expect(await viewer.getByRole('navigation', { name: 'Main' }).textContent()).not.toContain('Audit log');
      await viewer.goto(`${url}/audit`);
      await expect
        .poll(() => viewer.getByTestId('admin-only').textContent())
        .toBe('Audit logs are for admins; auditee is a viewer.');
      expect(await viewer.getByTestId('audit-table').count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 120_000);
});
