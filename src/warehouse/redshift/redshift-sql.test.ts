/**
 * The SQL Redshift would receive from the adapter, statement by statement, checked as text against
 * a recording stand-in for the connection (no Redshift runs here; see docs/redshift.md). The small
 * files COPY reads are written for real, to an S3-protocol server on loopback.
 */
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarehouseError, type ObjectCopyRequest } from '../../ports/index.ts';
import { LocalObjectStore, S3ObjectStore } from '../../storage/index.ts';
import { RecordingPool, recordingRedshift } from './testing.ts';

let server: Awaited<ReturnType<typeof startFauxqs>>;
let store: S3ObjectStore;
const KEY = 'log_data/2018/11/2018-11-15-events.json';

beforeAll(async () => {
  server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  server.createBucket('sparkify-data');
  store = S3ObjectStore.fromUri(
    `s3://sparkify-data/input?endpoint=${encodeURIComponent(server.address)}&access_key_id=test&secret_access_key=test`,
  );
  await store.put(KEY, '{"ts":1542276000123,"userId":"39"}\n');
});
afterAll(async () => {
  await store.close();
  await server.stop();
});

const ROLE = { iamRole: 'arn:aws:iam::123456789012:role/downbeat-copy' };
const KEYS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

const request = (overrides: Partial<ObjectCopyRequest> = {}): ObjectCopyRequest => ({
  store,
  key: KEY,
  table: 'events',
  columns: [
    { name: 'ts', field: 'ts', type: 'bigint' },
    { name: 'userid', field: 'userId', type: 'integer', emptyAsNull: true },
    { name: '_event_time', field: 'ts', type: 'epoch_ms_timestamp' },
  ],
  keyColumn: '_source_key',
  rankColumn: '_source_line',
  rejectWhen: [{ condition: '"ts" IS NULL', reason: 'ts: missing' }],
  rejectsKept: 1000,
  ...overrides,
});

const text = async (key: string) => {
  let out = '';
  for await (const chunk of (await store.get(key)).body) out += Buffer.from(chunk).toString('utf8');
  return out;
};

describe('Redshift locks', () => {
  it('creates the lock table once, then holds LOCK TABLE in a transaction of its own around the work', async () => {
    const pool = new RecordingPool();
    const wh = recordingRedshift(pool);
    await wh.withLock('stage:events:a', () => wh.execute('SELECT 1'));
    await wh.withLock('stage:events:b', () => Promise.resolve());
    expect(pool.texts()).toEqual([
      'CREATE TABLE IF NOT EXISTS _downbeat_locks (name VARCHAR(256))',
      'BEGIN',
      'LOCK TABLE _downbeat_locks',
      'SELECT 1',
      'ROLLBACK',
      'BEGIN',
      'LOCK TABLE _downbeat_locks',
      'ROLLBACK',
    ]);
  });
});

describe('Redshift bulk inserts', () => {
  it('appends rows as multi-row INSERTs with parameters (no COPY FROM STDIN), timestamps as UTC text', async () => {
    const pool = new RecordingPool();
    const wh = recordingRedshift(pool);
    const rows = Array.from(
      { length: 2500 },
      (_, i) => [i, new Date(Date.UTC(2018, 10, 15, 10, 0, 0, i))] as const,
    );
    expect(await wh.bulkInsert('t', ['id', 'at_ts'], rows)).toBe(2500);
    const statements = pool.take();
    expect(statements.map((s) => s.text.slice(0, 70))).toEqual([
      'BEGIN',
      'INSERT INTO "t" ("id", "at_ts") VALUES ($1, $2), ($3, $4), ($5, $6), (',
      'INSERT INTO "t" ("id", "at_ts") VALUES ($1, $2), ($3, $4), ($5, $6), (',
      'INSERT INTO "t" ("id", "at_ts") VALUES ($1, $2), ($3, $4), ($5, $6), (',
      'COMMIT',
    ]);
    expect(statements.map((s) => s.values.length)).toEqual([0, 2000, 2000, 1000, 0]);
    expect(statements[1]?.text.endsWith('($1999, $2000)')).toBe(true);
    expect(statements[3]?.values.slice(0, 2)).toEqual([2000, '2018-11-15 10:00:02.000']);
  });
});

describe('Redshift COPY from S3', () => {
  it('copies one object through a manifest and a generated JSONPaths file, then keeps the valid rows', async () => {
    const pool = new RecordingPool((sql) => {
      if (sql.includes('FROM stl_load_errors'))
        return {
          rows: [
            {
              line: 3,
              column_name: 'userid',
              reason: "Invalid digit, Value 'x', Pos 0, Type: Integer",
              total: 1,
            },
          ],
        };
      if (sql.startsWith('SELECT reason')) return { rows: [{ reason: 'ts: missing', total: 2 }] };
      if (sql.startsWith('INSERT INTO "events"')) return { rowCount: 412 };
      return undefined;
    });
    const wh = recordingRedshift(pool, { authorization: () => ROLE, region: 'us-west-2' });
    expect(wh.canCopyFrom(store)).toBe(true);
    const result = await wh.transaction((tx) => wh.copyFromObjectStore(tx, request()));
    expect(result).toEqual({
      rows: 412,
      rejected: 3,
      rejects: [
        { line: 3, reason: "userid: Invalid digit, Value 'x', Pos 0, Type: Integer" },
        { line: 0, reason: 'ts: missing' },
      ],
    });
    const statements = pool.take();
    expect(statements.map((s) => s.text)).toEqual([
      'BEGIN',
      'CREATE TEMP TABLE "downbeat_copy" (LIKE "events")',
      'COPY "downbeat_copy" ("ts", "userid", "_event_time")' +
        " FROM 's3://sparkify-data/input/_downbeat/copy/events/3a6c22a3c71f7464.manifest'" +
        " IAM_ROLE 'arn:aws:iam::123456789012:role/downbeat-copy'" +
        ' MANIFEST' +
        " FORMAT AS JSON 's3://sparkify-data/input/_downbeat/copy/events-a16927a6fa7b4983.jsonpaths'" +
        " TIMEFORMAT 'epochmillisecs'" +
        " REGION 'us-west-2'" +
        ' MAXERROR 100000 COMPUPDATE OFF STATUPDATE OFF',
      'SELECT line_number AS line, TRIM(colname) AS column_name, TRIM(err_reason) AS reason, COUNT(*) OVER () AS total' +
        ' FROM stl_load_errors WHERE query = pg_last_copy_id() ORDER BY line_number LIMIT 1000',
      'SELECT reason, COUNT(*) OVER () AS total FROM (SELECT CASE WHEN ("ts" IS NULL) THEN CAST($1 AS VARCHAR(1024)) END AS reason' +
        ' FROM "downbeat_copy") AS checked WHERE reason IS NOT NULL LIMIT 1000',
      'INSERT INTO "events" ("ts", "userid", "_event_time", "_source_key", "_source_line")' +
        ' SELECT "ts", "userid", "_event_time", CAST($1 AS VARCHAR(1024)), ROW_NUMBER() OVER (ORDER BY "ts", "userid", "_event_time")' +
        ' FROM "downbeat_copy" WHERE NOT COALESCE(("ts" IS NULL), FALSE)',
      'DROP TABLE "downbeat_copy"',
      'COMMIT',
    ]);
    expect(statements[4]?.values).toEqual(['ts: missing']);
    expect(statements[5]?.values).toEqual([KEY]);
    // The files COPY reads: the manifest names exactly the object; the JSONPaths map fields in column order.
    expect(JSON.parse(await text('_downbeat/copy/events/3a6c22a3c71f7464.manifest'))).toEqual({
      entries: [{ url: `s3://sparkify-data/input/${KEY}`, mandatory: true }],
    });
    expect(JSON.parse(await text('_downbeat/copy/events-a16927a6fa7b4983.jsonpaths'))).toEqual({
      jsonpaths: ["$['ts']", "$['userId']", "$['ts']"],
    });
  });

  it('authorizes with access keys, and a failing COPY names neither the key id nor the secret', async () => {
    const pool = new RecordingPool((sql) =>
      sql.startsWith('COPY')
        ? Object.assign(
            new Error(`S3ServiceException:Access Denied (echo: ${KEYS.accessKeyId} ${KEYS.secretAccessKey})`),
            {
              detail: `credentials ${KEYS.secretAccessKey}`,
            },
          )
        : undefined,
    );
    const wh = recordingRedshift(pool, { authorization: () => KEYS });
    const error = await wh
      .transaction((tx) => wh.copyFromObjectStore(tx, request({ rejectWhen: [] })))
      .catch((e: unknown) => e);
    const copy = pool.statements.find((s) => s.text.startsWith('COPY'))?.text ?? '';
    expect(copy).toContain(
      "ACCESS_KEY_ID 'AKIAIOSFODNN7EXAMPLE' SECRET_ACCESS_KEY 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' MANIFEST",
    );
    expect(copy).not.toContain('REGION');
    expect(error).toBeInstanceOf(WarehouseError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^COPY of s3:\/\/sparkify-data\/input\/log_data\/2018\/11\/2018-11-15-events\.json failed: S3ServiceException:Access Denied/,
    );
    expect(message).not.toContain(KEYS.accessKeyId);
    expect(message).not.toContain(KEYS.secretAccessKey);
    expect(String((error as Error).stack)).not.toContain(KEYS.secretAccessKey);
    expect(pool.texts().at(-1)).toBe('ROLLBACK');
  });

  it('writes no credential it cannot vouch for into the statement, and never repeats it', async () => {
    const wh = recordingRedshift(new RecordingPool(), {
      authorization: () => ({
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: "x' OR '1'='1 and more",
      }),
    });
    const error = await wh
      .transaction((tx) => wh.copyFromObjectStore(tx, request()))
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'the secret access key has characters that the secret access key never has',
    );
  });

  it('reads only S3 stores, and not at all with copy=false', () => {
    const copying = recordingRedshift(new RecordingPool(), { authorization: () => ROLE });
    expect(copying.canCopyFrom(new LocalObjectStore('/tmp'))).toBe(false);
    expect(recordingRedshift(new RecordingPool()).canCopyFrom(store)).toBe(false);
  });
});

describe('Redshift serialization conflicts', () => {
  it('runs the transaction again when Redshift reports a serializable isolation violation', async () => {
    let conflicts = 1;
    const pool = new RecordingPool((sql) =>
      sql === 'COMMIT' && conflicts-- > 0
        ? new Error(
            '1023 DETAIL: Serializable isolation violation on table - 100345, transactions forming the cycle are: 1, 2',
          )
        : undefined,
    );
    const wh = recordingRedshift(pool);
    await wh.transaction((tx) =>
      tx.execute('DELETE FROM songplays WHERE start_time >= CAST($a AS TIMESTAMP)', { a: 'x' }),
    );
    expect(pool.texts()).toEqual([
      'BEGIN',
      'DELETE FROM songplays WHERE start_time >= CAST($1 AS TIMESTAMP)',
      'COMMIT',
      'ROLLBACK',
      'BEGIN',
      'DELETE FROM songplays WHERE start_time >= CAST($1 AS TIMESTAMP)',
      'COMMIT',
    ]);
  });
});
