/**
 * stageJson reading an S3 store that fails: a missing bucket, and a connection that breaks in the
 * middle of a day file. The task fails with an error that says what to do, and the staging table
 * and its bookkeeping are exactly as before: nothing half loaded. On DuckDB and on PostgreSQL.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connections } from '../../connections/index.ts';
import type { TaskContext } from '../../dag/index.ts';
import { BucketNotFoundError } from '../../errors/index.ts';
import { testEnvironment, type TestEnvironment } from '../../executor/testing.ts';
import { stageJson } from '../../operators/index.ts';
import { freshPostgresDatabase } from '../../util/testing.ts';

const SECRET = 'Stage-Secret-Access-Key';
const DAY = '2018-11-15';
const LATE_DAY = '2018-11-16';
const lines = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ ts: 1542240000000 + from + i, n: i })).join('\n') +
  '\n';

let fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
let broken: Server;
let brokenEndpoint: string;
beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  fauxqs.createBucket('sparkify');
  // An S3 server whose day file breaks off after three whole records.
  const body = lines(3, 1000);
  broken = createServer((req, res) => {
    res.writeHead(200, {
      'content-length': '100000',
      etag: '"v1"',
      'last-modified': new Date('2018-11-17T00:00:00Z').toUTCString(),
    });
    if (req.method === 'HEAD') return res.end();
    res.write(body);
    setTimeout(() => res.socket?.destroy(), 50);
  });
  await new Promise<void>((done) => broken.listen(0, '127.0.0.1', done));
  brokenEndpoint = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await fauxqs.stop();
  await new Promise((done) => broken.close(done));
});

const s3 = (bucket: string, endpoint: string) =>
  `s3://${bucket}/in?endpoint=${encodeURIComponent(endpoint)}&access_key_id=AKIATEST&secret_access_key=${SECRET}`;

const stage = (source: string) =>
  stageJson({
    source,
    table: 'events',
    objects: { every: 'day', key: 'log_data/{{ ds }}-events.json' },
    framing: 'ndjson',
    columns: [
      { name: 'ts', type: 'bigint', required: true },
      { name: 'n', type: 'integer' },
    ],
  });

interface Kind {
  readonly name: string;
  /** A warehouse URI, and how to drop it afterwards. */
  open(env: TestEnvironment): Promise<{ uri: string; drop: () => Promise<void> }>;
}

const kinds: Kind[] = [
  {
    name: 'duckdb',
    open: (env) =>
      Promise.resolve({ uri: `duckdb://${env.root}/stage.duckdb`, drop: () => Promise.resolve() }),
  },
  {
    name: 'postgres',
    async open() {
      const database = await freshPostgresDatabase('downbeat_s3stage');
      return { uri: database.url, drop: () => database.drop() };
    },
  },
];

describe.each(kinds)('stageJson from S3 into $name', (kind) => {
  let env: TestEnvironment;
  let connections: Connections;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    env = await testEnvironment();
    const warehouse = await kind.open(env);
    drop = warehouse.drop;
    connections = new Connections({
      home: env.root,
      dagsFolder: env.root,
      databaseUrl: undefined,
      heartbeatMs: 5000,
      zombieAfterMs: 60_000,
      env: {
        DOWNBEAT_CONN_SOURCE: s3('sparkify', fauxqs.address),
        DOWNBEAT_CONN_MISSING: s3('no-such-bucket', fauxqs.address),
        DOWNBEAT_CONN_BROKEN: s3('sparkify', brokenEndpoint),
        DOWNBEAT_CONN_WAREHOUSE: warehouse.uri,
      },
    });
    const wh = await connections.warehouse('warehouse');
    await wh.execute(
      'CREATE TABLE events (ts BIGINT, n INTEGER, _source_key VARCHAR(1024), _source_line BIGINT)',
    );
    const store = await connections.objectStore('source');
    await store.put(`log_data/${DAY}-events.json`, lines(5));
  });
  afterAll(async () => {
    await connections.close();
    await drop();
    await env.close();
  });

  const context = (start: string): TaskContext => ({ ...env.context('stage', start), connections });
  /** The staging table and its bookkeeping, as a snapshot to compare. */
  const snapshot = async () => {
    const wh = await connections.warehouse('warehouse');
    return {
      rows: await wh.query('SELECT ts, n, _source_key, _source_line FROM events ORDER BY ts'),
      objects: await wh.query(
        'SELECT object_key, version, row_count FROM _downbeat_staged_objects ORDER BY 1',
      ),
      rejects: await wh.query('SELECT COUNT(*) AS n FROM _downbeat_rejects'),
    };
  };

  it('fails on a missing bucket with what to do, and leaves the staging table unchanged', async () => {
    expect((await stage('source').execute(context(`${DAY}T10:00:00Z`))).rowsWritten).toEqual({ events: 5 });
    const before = await snapshot();
    expect(before.rows).toHaveLength(5);

    const error = (await stage('missing')
      .execute(context(`${LATE_DAY}T10:00:00Z`))
      .catch((e: unknown) => e)) as BucketNotFoundError;
    expect(error).toBeInstanceOf(BucketNotFoundError);
    expect(error.code).toBe('object_store_not_found');
    expect(error.message).toBe(
      `bucket "no-such-bucket" does not exist at ${fauxqs.address} (reading in/log_data/${LATE_DAY}-events.json): ` +
        `check the bucket in the connection's URI (s3://BUCKET/prefix) and its endpoint and region, or create the bucket`,
    );
    expect(error.message).not.toContain(SECRET);
    expect(await snapshot()).toEqual(before);
  });

  it('fails when the connection breaks in the middle of a file, and keeps none of its rows', async () => {
    const before = await snapshot();
    const error = (await stage('broken')
      .execute(context(`${LATE_DAY}T10:00:00Z`))
      .catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    // The warehouse may wrap it (PostgreSQL's COPY does), but the message still says what broke.
    expect(error.message).toMatch(
      new RegExp(
        `cannot reach s3://sparkify/in/log_data/${LATE_DAY}-events\\.json at http://127\\.0\\.0\\.1:\\d+ ` +
          `\\(the connection broke while the object was read: `,
      ),
    );
    expect(error.message).not.toContain(SECRET);
    expect(await snapshot()).toEqual(before);
  });
});
