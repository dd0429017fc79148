/**
 * The reference: Sparkify's whole transformation done directly in DuckDB, as a few statements over
 * the same files, with none of Downbeat's bookkeeping. Run as a child process by bench/run.ts.
 * Usage: direct-load.ts SOURCE_FOLDER WAREHOUSE_FILE  → prints one JSON line.
 */
import { DuckDbWarehouse } from '../src/warehouse/index.ts';
import { eventColumns, songColumns } from './json-columns.ts';

const [source, file] = process.argv.slice(2);
if (!source || !file) throw new Error('usage: direct-load.ts SOURCE_FOLDER WAREHOUSE_FILE');

const statements = [
  `CREATE TABLE staging_events AS SELECT * FROM read_json('${source}/log_data/*/*/*.json', format = 'newline_delimited', columns = ${eventColumns})`,
  `CREATE TABLE staging_songs AS SELECT * FROM read_json('${source}/song_data/*/*/*/*.json', format = 'auto', columns = ${songColumns})`,
  `CREATE TABLE songplays AS
   SELECT md5(e.userId || '|' || CAST(e.sessionId AS VARCHAR) || '|' || CAST(e.itemInSession AS VARCHAR) || '|' || CAST(e.ts AS VARCHAR)) AS playid,
     epoch_ms(e.ts) AS start_time, CAST(e.userId AS INTEGER) AS userid, e.level, s.song_id AS songid, s.artist_id AS artistid,
     e.sessionId AS sessionid, e.location, e.userAgent AS user_agent
   FROM staging_events e
   LEFT JOIN (SELECT title, artist_name, duration, min(song_id) AS song_id, arg_min(artist_id, song_id) AS artist_id
              FROM staging_songs GROUP BY ALL) s
     ON s.title = e.song AND s.artist_name = e.artist AND s.duration = e.length
   WHERE e.page = 'NextSong'`,
  `CREATE TABLE users AS
   SELECT CAST(userId AS INTEGER) AS userid, arg_max(firstName, ts) AS first_name, arg_max(lastName, ts) AS last_name,
     arg_max(gender, ts) AS gender, arg_max(level, ts) AS level, epoch_ms(max(ts)) AS level_at
   FROM staging_events WHERE page = 'NextSong' GROUP BY 1`,
  `CREATE TABLE songs AS SELECT song_id AS songid, arg_min(title, song_id) AS title, arg_min(artist_id, song_id) AS artistid,
     arg_min(year, song_id) AS year, arg_min(duration, song_id) AS duration FROM staging_songs GROUP BY 1`,
  `CREATE TABLE artists AS SELECT artist_id AS artistid, arg_min(artist_name, song_id) AS name, arg_min(artist_location, song_id) AS location,
     arg_min(artist_latitude, song_id) AS latitude, arg_min(artist_longitude, song_id) AS longitude FROM staging_songs GROUP BY 1`,
  `CREATE TABLE "time" AS SELECT DISTINCT start_time, hour(start_time) AS hour, day(start_time) AS day, week(start_time) AS week,
     month(start_time) AS month, year(start_time) AS year, isodow(start_time) AS weekday FROM songplays`,
];

const warehouse = await DuckDbWarehouse.open({ path: file });
const started = performance.now();
// Order is of no use to these statements; keeping it costs reading 15,000 song files 4x the time
// and 10x the memory (1.9 GB) on 2 threads.
await warehouse.execute('SET preserve_insertion_order = false');
for (const statement of statements) await warehouse.execute(statement);
// Written into the file (a checkpoint) as the pipeline's loads are when their warehouse closes.
await warehouse.execute('CHECKPOINT');
const seconds = (performance.now() - started) / 1000;
const counts: Record<string, unknown> = {};
for (const table of ['staging_events', 'songplays', 'users', 'songs', 'artists', '"time"']) {
  counts[table.replaceAll('"', '')] = (await warehouse.query(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n;
}
await warehouse.close();
process.stdout.write(
  `${JSON.stringify({ seconds, counts, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
