/**
 * The least a run per day can do, as a reference beside the direct load: each day, in one
 * transaction, the day file's events inserted into a staging table as DuckDB reads them (no line
 * numbers, no checks, no bookkeeping) and that day's plays inserted into the fact table; the
 * catalog read once first. No orchestration, no dimensions, no quality checks: what is
 * left when a daily run does only what DESIGN's staging and fact table require.
 * With `hourly`, the plays are inserted an hour at a time (24 transactions a day), as hourly runs
 * would insert them; the day file is still staged once, in the day's first hour.
 * Usage: floor.ts SOURCE_FOLDER WAREHOUSE_FILE [daily|hourly]  → prints one JSON line.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDbWarehouse } from '../src/warehouse/index.ts';
import { eventColumns, songColumns } from './json-columns.ts';

const [source, file, cadence = 'daily'] = process.argv.slice(2);
if (!source || !file || !['daily', 'hourly'].includes(cadence))
  throw new Error('usage: floor.ts SOURCE_FOLDER WAREHOUSE_FILE [daily|hourly]');
const intervals: [number, number][] =
  cadence === 'daily' ? [[0, 24]] : Array.from({ length: 24 }, (_, hour) => [hour, hour + 1]);

const dayFiles = readdirSync(join(source, 'log_data'), { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => join(source, 'log_data', name));
if (dayFiles.length === 0)
  throw new Error(`floor.ts: no day files (*.json) under ${join(source, 'log_data')}`);

const warehouse = await DuckDbWarehouse.open({ path: file });
const started = performance.now();
// As the direct load: the floor keeps no line numbers, so the order of rows is of no use to it.
await warehouse.execute('SET preserve_insertion_order = false');
await warehouse.execute(
  `CREATE TABLE staging_events AS SELECT * FROM read_json('${dayFiles[0]}', format = 'newline_delimited', columns = ${eventColumns}) LIMIT 0`,
);
await warehouse.execute(
  `CREATE TABLE songs AS SELECT title, artist_name, duration, min(song_id) AS song_id, arg_min(artist_id, song_id) AS artist_id
   FROM read_json('${source}/song_data/*/*/*/*.json', format = 'auto', columns = ${songColumns}) GROUP BY ALL`,
);
await warehouse.execute(`CREATE TABLE songplays (playid VARCHAR, start_time TIMESTAMP, userid INTEGER, level VARCHAR,
  songid VARCHAR, artistid VARCHAR, sessionid INTEGER, location VARCHAR, user_agent VARCHAR)`);
const hourMs = 3_600_000;
for (const day of dayFiles) {
  const dayStart = Date.parse(`${/(\d{4}-\d{2}-\d{2})-events\.json$/.exec(day)?.[1]}T00:00:00Z`);
  if (Number.isNaN(dayStart)) throw new Error(`floor.ts: ${day} is not named YYYY-MM-DD-events.json`);
  for (const [index, [from, to]] of intervals.entries()) {
    // One transaction per interval; the day file staged in the day's first.
    await warehouse.execute('BEGIN TRANSACTION');
    if (index === 0)
      await warehouse.execute(
        `INSERT INTO staging_events SELECT * FROM read_json('${day}', format = 'newline_delimited', columns = ${eventColumns})`,
      );
    // On ts itself, so that DuckDB skips the row groups of other days by their min and max.
    await warehouse.execute(
      `INSERT INTO songplays
       SELECT md5(e.userId || '|' || CAST(e.sessionId AS VARCHAR) || '|' || CAST(e.itemInSession AS VARCHAR) || '|' || CAST(e.ts AS VARCHAR)),
         epoch_ms(e.ts), CAST(e.userId AS INTEGER), e.level, s.song_id, s.artist_id, e.sessionId, e.location, e.userAgent
       FROM staging_events e LEFT JOIN songs s ON s.title = e.song AND s.artist_name = e.artist AND s.duration = e.length
       WHERE e.page = 'NextSong' AND e.ts >= ${dayStart + from * hourMs} AND e.ts < ${dayStart + to * hourMs}`,
    );
    await warehouse.execute('COMMIT');
  }
}
await warehouse.execute('CHECKPOINT');
const seconds = (performance.now() - started) / 1000;
const counts: Record<string, unknown> = {};
for (const table of ['staging_events', 'songplays']) {
  counts[table] = (await warehouse.query(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n;
}
await warehouse.close();
process.stdout.write(
  `${JSON.stringify({ cadence, seconds, days: dayFiles.length, counts, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
