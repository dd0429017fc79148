/**
 * What Sparkify's tasks would send to Redshift, statement by statement, checked as text against a
 * recording stand-in for the cluster's connection (Redshift cannot run here; docs/redshift.md says
 * how to run against a real cluster). The source is an S3-protocol server on loopback, so the
 * manifest and JSONPaths files COPY would read are really written.
 */
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TaskContext } from '../../src/dag/index.ts';
import { runInProcess } from '../../src/executor/index.ts';
import { S3ObjectStore } from '../../src/storage/index.ts';
import { RecordingPool, recordingRedshift, type CannedAnswer } from '../../src/warehouse/redshift/testing.ts';
import type { RedshiftWarehouse } from '../../src/warehouse/index.ts';
import sparkify from './sparkify.dag.ts';
import * as q from './sql.ts';

const DAY_KEY = 'log_data/2018/11/2018-11-15-events.json';
const SONG_KEY = 'song_data/A/B/C/TRABCEI128F424C983.json';
const ROLE = 'arn:aws:iam::123456789012:role/sparkify-copy';
const RUN = sparkify.runFor(new Date('2018-11-15T10:00:00Z'));
const START = '2018-11-15 10:00:00.000';
const END = '2018-11-15 11:00:00.000';

let server: Awaited<ReturnType<typeof startFauxqs>>;
let store: S3ObjectStore;
let dayVersion: string;
let pool: RecordingPool;
let warehouse: RedshiftWarehouse;
let answer: (text: string) => CannedAnswer;

beforeAll(async () => {
  server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  server.createBucket('sparkify-data');
  store = S3ObjectStore.fromUri(
    `s3://sparkify-data/input?endpoint=${encodeURIComponent(server.address)}&access_key_id=test&secret_access_key=test`,
  );
  dayVersion = (await store.put(DAY_KEY, '{"ts":1542276000123,"page":"NextSong","userId":"39"}\n')).version;
  await store.put(
    SONG_KEY,
    '{"song_id":"SOUPIRU12A6D4FA1E1","artist_id":"ARJIE2Y1187B994AB7","num_songs":1}',
  );
});
afterAll(async () => {
  await store.close();
  await server.stop();
});
beforeEach(() => {
  answer = () => undefined;
  pool = new RecordingPool((text) => answer(text));
  warehouse = recordingRedshift(pool, { authorization: () => ({ iamRole: ROLE }), region: 'us-west-2' });
});

const context = (taskId: string): TaskContext => ({
  ...RUN,
  taskId,
  tryNumber: 1,
  firstTryStartedAt: new Date(),
  runs: { state: () => Promise.resolve(undefined) },
  log: { info: () => undefined, warn: () => undefined, error: () => undefined },
  signal: new AbortController().signal,
  now: () => new Date(),
  output: () => undefined,
  params: {},
  connections: { objectStore: () => Promise.resolve(store), warehouse: () => Promise.resolve(warehouse) },
  variables: { get: () => Promise.resolve(undefined) },
});
const execute = (taskId: string) => sparkify.tasks.get(taskId)?.operator.execute(context(taskId));
/** A pipeline SQL file's text as the recording shows it. */
const flat = (sql: string) =>
  sql
    .replace(/--[^\n]*/g, '')
    .replace(/\s+/g, ' ')
    .trim();

const BOOKKEEPING_DDL = [
  'BEGIN',
  'LOCK TABLE _downbeat_locks',
  'BEGIN',
  'CREATE TABLE IF NOT EXISTS _downbeat_staged_objects ( table_name VARCHAR(128) NOT NULL, object_key VARCHAR(1024) NOT NULL, version VARCHAR(256) NOT NULL, row_count BIGINT NOT NULL, reject_count BIGINT NOT NULL, staged_at TIMESTAMP NOT NULL, PRIMARY KEY (table_name, object_key))',
  'CREATE TABLE IF NOT EXISTS _downbeat_rejects ( table_name VARCHAR(128) NOT NULL, object_key VARCHAR(1024) NOT NULL, version VARCHAR(256) NOT NULL, line BIGINT NOT NULL, reason VARCHAR(1024) NOT NULL)',
  'CREATE TABLE IF NOT EXISTS _downbeat_run_objects ( run_id VARCHAR(256) NOT NULL, table_name VARCHAR(128) NOT NULL, object_key VARCHAR(1024) NOT NULL, version VARCHAR(256) NOT NULL, PRIMARY KEY (run_id, table_name, object_key))',
  'CREATE TABLE IF NOT EXISTS _downbeat_catalog_state ( table_name VARCHAR(128) NOT NULL, prefix VARCHAR(1024) NOT NULL, fingerprint VARCHAR(64) NOT NULL, object_count BIGINT NOT NULL, row_count BIGINT NOT NULL, reject_count BIGINT NOT NULL, PRIMARY KEY (table_name, prefix))',
  'CREATE TABLE IF NOT EXISTS _downbeat_load_state ( table_name VARCHAR(128) NOT NULL PRIMARY KEY, input_version VARCHAR(1024) NOT NULL)',
  'COMMIT',
  'ROLLBACK',
];

const EVENT_COLUMNS =
  '"artist", "auth", "firstname", "gender", "iteminsession", "lastname", "length", "level", "location", "method", "page", "registration", "sessionid", "song", "status", "ts", "useragent", "userid", "_event_time"';
const EVENT_RULES = [
  '("ts" IS NULL)',
  "(page = 'NextSong' AND userid IS NULL)",
  "(page = 'NextSong' AND sessionid IS NULL)",
  "(page = 'NextSong' AND iteminsession IS NULL)",
];

describe('Sparkify on Redshift: the SQL each task sends', () => {
  it('Begin_execution creates the tables with Redshift-sized VARCHARs, under the lock', async () => {
    await execute('Begin_execution');
    const texts = pool.texts();
    expect(texts.slice(0, 4)).toEqual([
      'CREATE TABLE IF NOT EXISTS _downbeat_locks (name VARCHAR(256))',
      'BEGIN',
      'LOCK TABLE _downbeat_locks',
      'BEGIN',
    ]);
    expect(texts[4]).toBe(
      'CREATE TABLE IF NOT EXISTS staging_events ( artist VARCHAR(65535), auth VARCHAR(65535), firstname VARCHAR(65535), gender VARCHAR(65535), iteminsession INTEGER, lastname VARCHAR(65535), length DOUBLE PRECISION, level VARCHAR(65535), location VARCHAR(65535), method VARCHAR(65535), page VARCHAR(65535), registration DOUBLE PRECISION, sessionid INTEGER, song VARCHAR(65535), status INTEGER, ts BIGINT, useragent VARCHAR(65535), userid INTEGER, _event_time TIMESTAMP, _source_key VARCHAR(1024), _source_line BIGINT )',
    );
    expect(texts.slice(4, 11)).toEqual(q.createTablesRedshift.map(flat));
    expect(texts.slice(11)).toEqual(['COMMIT', 'ROLLBACK']);
  });

  it("Stage_events copies the interval's day file from S3 once, with its bookkeeping in the same transaction", async () => {
    let staged = false;
    answer = (text) => {
      if (text.startsWith('SELECT object_key, version, row_count, reject_count'))
        return staged
          ? { rows: [{ object_key: DAY_KEY, version: dayVersion, row_count: 412, reject_count: 1 }] }
          : { rows: [] };
      if (text.startsWith('INSERT INTO "_downbeat_staged_objects"')) staged = true;
      if (text.startsWith('SELECT object_key, line, reason'))
        return {
          rows: [
            { object_key: DAY_KEY, line: 7, reason: "length: Invalid digit, Value 'x', Pos 0, Type: Double" },
          ],
        };
      if (text.includes('FROM stl_load_errors'))
        return {
          rows: [
            {
              line: 7,
              column_name: 'length',
              reason: "Invalid digit, Value 'x', Pos 0, Type: Double",
              total: 1,
            },
          ],
        };
      if (text.startsWith('INSERT INTO "staging_events"')) return { rowCount: 412 };
      return undefined;
    };
    await expect(execute('Stage_events')).rejects.toThrow(
      `1 source record(s) could not be loaded into staging_events (reject limit 0):\n  ${DAY_KEY}:7: length: Invalid digit`,
    );
    const statements = pool.take();
    const texts = statements.map((s) => s.text);
    expect(texts.slice(0, 11)).toEqual([
      'CREATE TABLE IF NOT EXISTS _downbeat_locks (name VARCHAR(256))',
      ...BOOKKEEPING_DDL,
    ]);
    expect(texts.slice(11)).toEqual([
      // The lock for this day file, and what is staged of it already (nothing).
      'BEGIN',
      'LOCK TABLE _downbeat_locks',
      'SELECT object_key, version, row_count, reject_count FROM _downbeat_staged_objects WHERE table_name = $1 AND object_key IN ($2)',
      // One transaction: forget an old version (there is none: no DELETE), COPY the new one, record it.
      'BEGIN',
      'SELECT object_key FROM _downbeat_staged_objects WHERE table_name = $1 AND object_key IN ($2)',
      'CREATE TEMP TABLE "downbeat_copy" (LIKE "staging_events")',
      `COPY "downbeat_copy" (${EVENT_COLUMNS})` +
        " FROM 's3://sparkify-data/input/_downbeat/copy/staging_events/3a6c22a3c71f7464.manifest'" +
        ` IAM_ROLE '${ROLE}'` +
        ' MANIFEST' +
        " FORMAT AS JSON 's3://sparkify-data/input/_downbeat/copy/staging_events-e579826e7c0b5d33.jsonpaths'" +
        " TIMEFORMAT 'epochmillisecs' REGION 'us-west-2' MAXERROR 100000 COMPUPDATE OFF STATUPDATE OFF",
      'SELECT line_number AS line, TRIM(colname) AS column_name, TRIM(err_reason) AS reason, COUNT(*) OVER () AS total FROM stl_load_errors WHERE query = pg_last_copy_id() ORDER BY line_number LIMIT 1000',
      `SELECT reason, COUNT(*) OVER () AS total FROM (SELECT CASE ${EVENT_RULES.map(
        (rule, i) => `WHEN ${rule} THEN CAST($${i + 1} AS VARCHAR(1024))`,
      ).join(' ')} END AS reason FROM "downbeat_copy") AS checked WHERE reason IS NOT NULL LIMIT 1000`,
      `INSERT INTO "staging_events" (${EVENT_COLUMNS}, "_source_key", "_source_line") SELECT ${EVENT_COLUMNS}, CAST($1 AS VARCHAR(1024)), ROW_NUMBER() OVER (ORDER BY ${EVENT_COLUMNS}) FROM "downbeat_copy" WHERE NOT COALESCE(${EVENT_RULES.join(' OR ')}, FALSE)`,
      'DROP TABLE "downbeat_copy"',
      'INSERT INTO "_downbeat_staged_objects" ("table_name", "object_key", "version", "row_count", "reject_count", "staged_at") VALUES ($1, $2, $3, $4, $5, $6)',
      'INSERT INTO "_downbeat_rejects" ("table_name", "object_key", "version", "line", "reason") VALUES ($1, $2, $3, $4, $5)',
      'COMMIT',
      'ROLLBACK',
      // The planner's statistics, for the loads that join these rows.
      'ANALYZE "staging_events"',
      // The run is pinned to that version; then its reject count is read (and fails the run).
      'BEGIN',
      'DELETE FROM _downbeat_run_objects WHERE run_id = $1 AND table_name = $2',
      'INSERT INTO _downbeat_run_objects (run_id, table_name, object_key, version) SELECT CAST($1 AS VARCHAR(256)), table_name, object_key, version FROM _downbeat_staged_objects WHERE table_name = $2 AND object_key IN ($3)',
      'COMMIT',
      'SELECT object_key, version, row_count, reject_count FROM _downbeat_staged_objects WHERE table_name = $1 AND object_key IN ($2)',
      'SELECT object_key, line, reason FROM _downbeat_rejects WHERE table_name = $1 AND object_key IN ($2) ORDER BY object_key, line LIMIT 20',
    ]);
    const values = (start: string) => statements.find((s) => s.text.startsWith(start))?.values;
    expect(values('SELECT reason')).toEqual([
      'ts: missing',
      'userId: missing on a NextSong event',
      'sessionId: missing on a NextSong event',
      'itemInSession: missing on a NextSong event',
    ]);
    expect(values('INSERT INTO "staging_events"')).toEqual([DAY_KEY]);
    expect(values('INSERT INTO "_downbeat_staged_objects"')?.slice(0, 5)).toEqual([
      'staging_events',
      DAY_KEY,
      dayVersion,
      412,
      1,
    ]);
    expect(values('INSERT INTO "_downbeat_rejects"')).toEqual([
      'staging_events',
      DAY_KEY,
      dayVersion,
      7,
      "length: Invalid digit, Value 'x', Pos 0, Type: Double",
    ]);
  });

  it('Stage_songs reads new song files through the worker and appends them as multi-row INSERTs', async () => {
    await execute('Stage_songs');
    const statements = pool.take();
    const texts = statements.map((s) => s.text);
    const copy = texts.findIndex((t) => t.startsWith('INSERT INTO "staging_songs"'));
    expect(texts.slice(copy - 2, copy + 3)).toEqual([
      'BEGIN',
      // New files: nothing of them to forget, so no DELETE.
      'SELECT object_key FROM _downbeat_staged_objects WHERE table_name = $1 AND object_key IN ($2)',
      'INSERT INTO "staging_songs" ("num_songs", "artist_id", "artist_name", "artist_latitude", "artist_longitude", "artist_location", "song_id", "title", "duration", "year", "_source_key", "_source_line") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)',
      'INSERT INTO "_downbeat_staged_objects" ("table_name", "object_key", "version", "row_count", "reject_count", "staged_at") VALUES ($1, $2, $3, $4, $5, $6)',
      'COMMIT',
    ]);
    expect(statements[copy]?.values).toEqual([
      1,
      'ARJIE2Y1187B994AB7',
      null,
      null,
      null,
      null,
      'SOUPIRU12A6D4FA1E1',
      null,
      null,
      null,
      SONG_KEY,
      1,
    ]);
    expect(texts.some((t) => t.startsWith('COPY'))).toBe(false);
  });

  it('Load_songplays_fact_table replaces the interval: delete + insert in one transaction', async () => {
    await execute('Load_songplays_fact_table');
    const statements = pool.take();
    expect(statements.map((s) => s.text)).toEqual([
      'BEGIN',
      'DELETE FROM "songplays" WHERE "start_time" >= CAST($1 AS TIMESTAMP) AND "start_time" < CAST($2 AS TIMESTAMP)',
      `INSERT INTO "songplays" ("playid", "start_time", "userid", "level", "songid", "artistid", "sessionid", "location", "user_agent") ${flat(
        q.songplaysSelect,
      )
        .replace('$interval_start', '$1')
        .replace('$interval_end', '$2')
        .replace('$run_id', '$3')}`,
      'COMMIT',
    ]);
    expect(statements[1]?.values).toEqual([START, END]);
    expect(statements[2]?.values).toEqual([START, END, RUN.runId]);
  });

  it('Load_user_dim_table merges from a temporary batch of new and newer users (MERGE)', async () => {
    answer = (text) => (text.startsWith('MERGE') ? { rowCount: 3 } : undefined);
    expect((await execute('Load_user_dim_table'))?.rowsWritten).toEqual({ users: 3 });
    const statements = pool.take();
    const users = '"userid", "first_name", "last_name", "gender", "level", "level_at"';
    const changed = ['"first_name"', '"last_name"', '"gender"', '"level"', '"level_at"']
      .map((c) => `(source.${c} <> target.${c} OR (source.${c} IS NULL) <> (target.${c} IS NULL))`)
      .join(' OR ');
    const batch =
      `SELECT ${users} FROM (SELECT batch.*, ROW_NUMBER() OVER (PARTITION BY "userid" ORDER BY level_at DESC, sessionid DESC, iteminsession DESC) AS downbeat_rank` +
      ` FROM ( ${flat(q.usersSelect).replace('$interval_start', '$1').replace('$interval_end', '$2').replace('$run_id', '$3')} ) AS batch) AS ranked WHERE downbeat_rank = 1`;
    expect(statements.map((s) => s.text)).toEqual([
      'BEGIN',
      'CREATE TEMP TABLE "downbeat_batch_users" (LIKE "users")',
      `INSERT INTO "downbeat_batch_users" (${users}) SELECT ${users
        .split(', ')
        .map((c) => `source.${c}`)
        .join(
          ', ',
        )} FROM (${batch}) AS source LEFT JOIN "users" AS target ON target."userid" = source."userid"` +
        ` WHERE target."userid" IS NULL OR ((${changed}) AND (source.level_at > target.level_at))`,
      'MERGE INTO "users" USING "downbeat_batch_users" AS source ON "users"."userid" = source."userid"' +
        ' WHEN MATCHED THEN UPDATE SET "first_name" = source."first_name", "last_name" = source."last_name", "gender" = source."gender", "level" = source."level", "level_at" = source."level_at"' +
        ` WHEN NOT MATCHED THEN INSERT (${users}) VALUES (source."userid", source."first_name", source."last_name", source."gender", source."level", source."level_at")`,
      'DROP TABLE "downbeat_batch_users"',
      'COMMIT',
    ]);
    expect(statements[2]?.values).toEqual([START, END, RUN.runId]);
  });

  it("Load_time_dim_table's batch joins only the interval's stored rows; MERGE matches on the key alone", async () => {
    await execute('Load_time_dim_table');
    const texts = pool.texts();
    expect(texts[2]).toContain(
      'LEFT JOIN "time" AS target ON target."start_time" = source."start_time" AND (target.start_time >= CAST($1 AS TIMESTAMP) AND target.start_time < CAST($2 AS TIMESTAMP))',
    );
    expect(texts[2]).toContain(
      'CASE WHEN CAST(EXTRACT(DOW FROM start_time) AS INTEGER) = 0 THEN 7 ELSE CAST(EXTRACT(DOW FROM start_time) AS INTEGER) END AS weekday',
    );
    expect(texts[3]).toBe(
      'MERGE INTO "time" USING "downbeat_batch_time" AS source ON "time"."start_time" = source."start_time"' +
        ' WHEN MATCHED THEN UPDATE SET "hour" = source."hour", "day" = source."day", "week" = source."week", "month" = source."month", "year" = source."year", "weekday" = source."weekday"' +
        ' WHEN NOT MATCHED THEN INSERT ("start_time", "hour", "day", "week", "month", "year", "weekday") VALUES (source."start_time", source."hour", source."day", source."week", source."month", source."year", source."weekday")',
    );
  });

  it('Run_data_quality_checks reads every check in one statement, in one transaction', async () => {
    const row: Record<string, number> = { expected_12: 5 };
    for (let i = 0; i < 13; i += 1) row[`actual_${i}`] = i === 12 ? 5 : 0;
    answer = (text) => (text.startsWith('SELECT (SELECT COUNT(*)') ? { rows: [row] } : undefined);
    expect((await execute('Run_data_quality_checks'))?.summary).toBe('13 check(s) passed');
    const statements = pool.take();
    expect(statements.map((s) => s.text.slice(0, 60))).toEqual([
      'BEGIN',
      'SELECT (SELECT COUNT(*) FROM songplays WHERE playid IS NULL ',
      'COMMIT',
    ]);
    expect(statements[1]?.text).toContain(
      "(SELECT COUNT(*) FROM staging_events WHERE page = 'NextSong' AND _event_time >= CAST($1 AS TIMESTAMP) AND _event_time < CAST($2 AS TIMESTAMP) AND _source_key IN (SELECT object_key FROM _downbeat_run_objects WHERE run_id = $3 AND table_name = 'staging_events')) AS expected_12",
    );
    expect(statements[1]?.text).toContain(
      '(SELECT COUNT(*) FROM songplays AS child WHERE child.userid IS NOT NULL AND (child.start_time >= CAST($1 AS TIMESTAMP) AND child.start_time < CAST($2 AS TIMESTAMP)) AND NOT EXISTS (SELECT 1 FROM users AS parent WHERE parent.userid = child.userid)) AS actual_11',
    );
    expect(statements[1]?.values).toEqual([START, END, RUN.runId]);
  });

  it("a failing COPY with aws_credentials' keys fails Stage_events without naming them", async () => {
    const keys = {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    };
    const failing = new RecordingPool((text) =>
      text.startsWith('COPY')
        ? new Error(`S3ServiceException:Access Denied, ${keys.secretAccessKey}`)
        : undefined,
    );
    warehouse = recordingRedshift(failing, { authorization: () => keys });
    const [result] = await runInProcess({
      dag: sparkify,
      run: RUN,
      connections: context('Stage_events').connections,
      only: ['Stage_events'],
    });
    expect(result?.state).toBe('failed');
    const message = result?.state === 'failed' ? (result.error?.message ?? '') : '';
    expect(message).toContain(
      `COPY of s3://sparkify-data/input/${DAY_KEY} failed: S3ServiceException:Access Denied, ***`,
    );
    const logs = result?.state === 'failed' ? result.log.join('\n') : '';
    for (const text of [message, logs]) {
      expect(text).not.toContain(keys.accessKeyId);
      expect(text).not.toContain(keys.secretAccessKey);
    }
    expect(failing.statements.find((s) => s.text.startsWith('COPY'))?.text).toContain(
      `ACCESS_KEY_ID '${keys.accessKeyId}' SECRET_ACCESS_KEY '${keys.secretAccessKey}'`,
    );
  });
});
