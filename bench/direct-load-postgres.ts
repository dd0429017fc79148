/**
 * The reference on PostgreSQL: Sparkify's whole transformation done directly in the engine, with
 * none of Downbeat's bookkeeping. The event lines are copied in raw (COPY, one jsonb per line; the
 * song files, some pretty-printed, are parsed here first), then
 * a few `CREATE TABLE … AS` statements build staging and the star, as bench/direct-load.ts does in
 * DuckDB. Run as a child process by bench/scale.ts.
 * Usage: direct-load-postgres.ts SOURCE_FOLDER POSTGRES_URL → prints one JSON line.
 */
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { readJsonRecords } from '../src/operators/stage/index.ts';

const [source, url] = process.argv.slice(2);
if (!source || !url) throw new Error('usage: direct-load-postgres.ts SOURCE_FOLDER POSTGRES_URL');

async function* filesUnder(folder: string): AsyncIterable<string> {
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.name.endsWith('.json')) yield path;
  }
}

// CSV with quote and delimiter bytes that JSON text never holds: each line arrives as it is.
const RAW_COPY = `(FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')`;

/** Copies every file under `folder` into `table` (one jsonb column), a line a row. */
async function copyLines(client: pg.Client, folder: string, table: string, smallFiles: boolean) {
  const stream = client.query(copyFrom(`COPY ${table} (j) FROM STDIN ${RAW_COPY}`));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  const write = async (chunk: Buffer) => {
    if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
  };
  for await (const path of filesUnder(folder)) {
    if (smallFiles) {
      // Song files hold one or more documents, some over several lines: one a line for COPY.
      for await (const record of readJsonRecords(createReadStream(path), { framing: 'json' })) {
        if (record.error !== undefined) throw new Error(`${path}:${record.line}: ${record.error}`);
        await write(Buffer.from(`${JSON.stringify(record.value)}\n`));
      }
    } else {
      for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }))
        await write(chunk as Buffer);
    }
  }
  stream.end();
  await done;
}

const statements = [
  `CREATE TABLE staging_events AS SELECT j->>'artist' AS artist, j->>'auth' AS auth, j->>'firstName' AS firstname,
     j->>'gender' AS gender, (j->>'itemInSession')::int AS iteminsession, j->>'lastName' AS lastname,
     (j->>'length')::float8 AS length, j->>'level' AS level, j->>'location' AS location, j->>'method' AS method,
     j->>'page' AS page, (j->>'registration')::float8 AS registration, (j->>'sessionId')::int AS sessionid,
     j->>'song' AS song, (j->>'status')::int AS status, (j->>'ts')::bigint AS ts, j->>'userAgent' AS useragent,
     nullif(j->>'userId', '')::int AS userid FROM raw_events`,
  `CREATE TABLE staging_songs AS SELECT j->>'song_id' AS song_id, j->>'title' AS title, j->>'artist_id' AS artist_id,
     j->>'artist_name' AS artist_name, (j->>'duration')::float8 AS duration, (j->>'year')::int AS year,
     j->>'artist_location' AS artist_location, (j->>'artist_latitude')::float8 AS artist_latitude,
     (j->>'artist_longitude')::float8 AS artist_longitude FROM raw_songs`,
  `CREATE TABLE songplays AS
   SELECT md5(e.userid || '|' || e.sessionid || '|' || e.iteminsession || '|' || e.ts) AS playid,
     to_timestamp(e.ts / 1000.0) AT TIME ZONE 'UTC' AS start_time, e.userid, e.level, s.song_id AS songid,
     s.artist_id AS artistid, e.sessionid, e.location, e.useragent AS user_agent
   FROM staging_events e
   LEFT JOIN (SELECT DISTINCT ON (title, artist_name, duration) title, artist_name, duration, song_id, artist_id
              FROM staging_songs ORDER BY title, artist_name, duration, song_id) s
     ON s.title = e.song AND s.artist_name = e.artist AND s.duration = e.length
   WHERE e.page = 'NextSong'`,
  `CREATE TABLE users AS SELECT DISTINCT ON (userid) userid, firstname AS first_name, lastname AS last_name, gender,
     level, to_timestamp(ts / 1000.0) AT TIME ZONE 'UTC' AS level_at
   FROM staging_events WHERE page = 'NextSong' ORDER BY userid, ts DESC`,
  `CREATE TABLE songs AS SELECT DISTINCT ON (song_id) song_id AS songid, title, artist_id AS artistid, year, duration
   FROM staging_songs ORDER BY song_id`,
  `CREATE TABLE artists AS SELECT DISTINCT ON (artist_id) artist_id AS artistid, artist_name AS name,
     artist_location AS location, artist_latitude AS latitude, artist_longitude AS longitude
   FROM staging_songs ORDER BY artist_id, song_id`,
  `CREATE TABLE "time" AS SELECT DISTINCT start_time, extract(hour FROM start_time)::int AS hour,
     extract(day FROM start_time)::int AS day, extract(week FROM start_time)::int AS week,
     extract(month FROM start_time)::int AS month, extract(year FROM start_time)::int AS year,
     extract(isodow FROM start_time)::int AS weekday FROM songplays`,
];

const client = new pg.Client({ connectionString: url });
await client.connect();
const started = performance.now();
await client.query('CREATE TABLE raw_events (j jsonb); CREATE TABLE raw_songs (j jsonb)');
await copyLines(client, join(source, 'log_data'), 'raw_events', false);
await copyLines(client, join(source, 'song_data'), 'raw_songs', true);
for (const statement of statements) await client.query(statement);
const seconds = (performance.now() - started) / 1000;
const counts: Record<string, number> = {};
for (const table of ['staging_events', 'songplays', 'users', 'songs', 'artists', '"time"']) {
  const { rows } = await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${table}`);
  counts[table.replaceAll('"', '')] = Number(rows[0]?.n);
}
const { rows } = await client.query<{ bytes: string }>(
  'SELECT pg_database_size(current_database()) AS bytes',
);
await client.end();
process.stdout.write(
  `${JSON.stringify({ seconds, counts, diskMb: Number(rows[0]?.bytes) / 2 ** 20, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
