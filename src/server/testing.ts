/**
 * A real webserver for tests: a fresh metadata DB (SQLite or PostgreSQL), a small DAG whose tasks
 * log, report rows and checks, and fail while `failing` is set, a scheduler and a worker in this
 * process, and a user. Everything is torn down by `close()`.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { dag, TaskFailure, type Dag, type Operator } from '../dag/index.ts';
import { Worker } from '../executor/index.ts';
import { noop } from '../operators/index.ts';
import { Scheduler } from '../scheduler/index.ts';
import { createUser } from '../store/admin/index.ts';
import { syncDags } from '../store/runs/index.ts';
import type { Db, MetadataDialect } from '../store/db/index.ts';
import { testDb } from '../store/db/testing.ts';
import { openWarehouse } from '../warehouse/index.ts';
import { hashPassword } from './auth/password.ts';
import type { ConnectionAdmin, WarehouseSource } from './context.ts';
import { startWebServer } from './server.ts';

export const USER = 'ada';
export const PASSWORD = 'correct horse battery staple';
export const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

/** Flip to make the `check` task fail (the first tries of a test) or pass (after a clear). */
export const switches = { failing: false, released: false };

const stage: Operator = {
  kind: 'stage_json',
  describe: () => ({ table: 'staging' }),
  async execute(context) {
    context.log.info(`staging the hour ${context.dataInterval.start.toISOString()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { rowsWritten: { staging: 7 } };
  },
};

const load: Operator = {
  kind: 'load_fact',
  describe: () => ({ table: 'facts' }),
  execute: () => Promise.resolve({ rowsWritten: { facts: 5 } }),
};

const check: Operator = {
  kind: 'data_quality',
  describe: () => ({ checks: 2 }),
  execute(context) {
    const passed = !switches.failing;
    context.log.info(`checking facts: ${passed ? 'ok' : 'one row missing'}`);
    const checks = [
      {
        name: 'facts_not_empty',
        sql: 'SELECT COUNT(*) FROM facts',
        expected: '> 0',
        actual: '5',
        passed: true,
      },
      { name: 'facts_match_staging', expected: '7', actual: passed ? '7' : '6', passed },
    ];
    if (!passed) {
      return Promise.reject(
        new TaskFailure('checks_failed', '1 of 2 checks failed: facts_match_staging', { checks }),
      );
    }
    return Promise.resolve({ checks });
  },
};

export const demoDag: Dag = dag(
  { id: 'demo', schedule: '@hourly', startDate: '2018-11-01', maxActiveRuns: 4, catchup: false },
  (d) =>
    d.chain(
      d.task('begin', noop()),
      d.task('stage', stage),
      d.task('load', load),
      d.task('check', check, { retries: 0 }),
      d.task('end', noop()),
    ),
);

/** A DAG to pause and unpause: it starts in 2100, so the scheduler never creates one of its runs. */
export const laterDag: Dag = dag({ id: 'later', schedule: '@daily', startDate: '2100-01-01' }, (d) => {
  d.task('only', noop());
});

/** A long task: it logs, then waits until `switches.released`, so a test can read its log mid-try. */
export const slowDag: Dag = dag({ id: 'slow', schedule: '@daily', startDate: '2100-01-01' }, (d) => {
  d.task('long', {
    kind: 'sensor',
    describe: () => ({}),
    async execute(context) {
      context.log.info('first step done, waiting for the release');
      while (!switches.released) await new Promise((resolve) => setTimeout(resolve, 50));
      context.log.info('released');
      return {};
    },
  });
});

/** A DAG with params, triggered only: its runs' conf is checked against them. */
export const paramsDag: Dag = dag(
  {
    id: 'with_params',
    schedule: null,
    startDate: '2018-11-01',
    params: {
      rows: { type: 'integer', default: 10, description: 'rows to load' },
      mode: { type: 'enum', values: ['full', 'increment'], required: true },
      dry_run: { type: 'boolean', default: false },
    },
  },
  (d) => {
    d.task('only', noop());
  },
);

export interface TestServer {
  readonly url: string;
  readonly db: Db;
  /** fetch with the test user's Basic credentials. */
  api(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function testServer(
  dialect: MetadataDialect,
  options: { engine?: boolean; now?: () => number } = {},
): Promise<TestServer> {
  const t = await testDb(dialect);
  const dags = new Map([
    [demoDag.id, demoDag],
    [laterDag.id, laterDag],
    [slowDag.id, slowDag],
    [paramsDag.id, paramsDag],
  ]);
  await syncDags(
    t.db,
    {
      dags,
      files: new Map([['demo', 'demo.dag.ts']]),
      errors: [{ file: 'broken.dag.ts', message: 'SyntaxError: Unexpected token' }],
    },
    Date.now(),
  );
  await createUser(
    t.db,
    { username: USER, passwordHash: await hashPassword(PASSWORD), role: 'admin' },
    Date.now(),
  );
  const stored = new Map<string, string>();
  const connections: ConnectionAdmin = {
    list: () =>
      Promise.resolve(
        [...stored].map(([id, uri]) => ({
          connection_id: id,
          uri: uri.replace(/:[^:@/]*@/, ':***@'),
          source: 'stored' as const,
        })),
      ),
    add: (id, uri) => (stored.set(id, uri), Promise.resolve()),
    delete: (id) => Promise.resolve(stored.delete(id)),
  };
  const engine = options.engine ?? true;
  const worker = engine
    ? new Worker({ db: t.db, dags, connectionsFor: () => ({}) as never, pollMs: 100 })
    : undefined;
  const scheduler = engine
    ? new Scheduler({ db: t.db, dags, loopMs: 100, onWork: () => worker?.wake() })
    : undefined;
  worker?.start();
  scheduler?.start();
  // The explorer's warehouse: an in-memory DuckDB with one small table.
  const warehouse = await openWarehouse('duckdb://:memory:');
  await warehouse.execute("CREATE TABLE facts AS SELECT i AS n, 'fact ' || i AS label FROM range(5) t(i)");
  const explored: WarehouseSource = {
    connectionId: 'warehouse',
    queryTimeoutMs: 5000,
    use: (work) => work(warehouse),
  };
  const server = await startWebServer(
    {
      db: t.db,
      dags,
      connections,
      now: options.now ?? Date.now,
      log: () => undefined,
      warehouse: explored,
    },
    { port: 0 },
  );
  return {
    url: server.url,
    db: t.db,
    api: (path, init = {}) =>
      fetch(`${server.url}${path}`, {
        ...init,
        headers: {
          authorization: BASIC,
          'content-type': 'application/json',
          ...(init.headers as Record<string, string>),
        },
      }),
    async close() {
      await server.close();
      await scheduler?.stop();
      await worker?.stop();
      await warehouse.close();
      await t.drop();
    },
  };
}

/** Waits until `check` resolves truthy (polling every 50 ms), or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`not true after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A request from another loopback address (127.0.0.0/8 is all this machine's): what a client
 * elsewhere looks like to the server, for limits kept per address. The status and body.
 */
export function requestFrom(
  address: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method: init.method ?? 'GET', headers: init.headers, localAddress: address },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body, headers: response.headers }),
        );
      },
    );
    request.on('error', reject);
    request.end(init.body);
  });
}
