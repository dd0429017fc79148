import { readFileSync } from 'node:fs';

/** The pipeline's SQL, from the .sql files beside this one. */
function read(name: string): string {
  return readFileSync(new URL(`./sql/${name}.sql`, import.meta.url), 'utf8');
}

/** The statements of a file of several, split on `;` at line ends. */
function statements(text: string): string[] {
  return text
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}

export const createTables = statements(read('create_tables'));
/**
 * The same tables on Redshift, where VARCHAR without a length is VARCHAR(256) bytes: too short for
 * what the source may hold (a long title or user agent, multi-byte names), so free text gets the
 * longest VARCHAR instead. Sort and distribution keys are left to Redshift (AUTO).
 */
export const createTablesRedshift = createTables.map((statement) =>
  statement.replace(/\bVARCHAR\b(?!\s*\()/g, 'VARCHAR(65535)'),
);
/**
 * The same tables in DuckDB, without the primary keys of songplays and time. DuckDB keeps a
 * primary key in an index that every insert and delete updates: a day's songplays load slower with
 * it, and a rerun's delete of the day far slower, growing with the table (BENCHMARKS.md).
 * The keys stay unique by construction (one row per event, per start time, each in one interval),
 * and Run_data_quality_checks checks them in every interval.
 */
export const createTablesDuckDb = createTables.map((statement) =>
  /^CREATE TABLE IF NOT EXISTS (songplays|"time") /.test(statement)
    ? statement.replace(/ NOT NULL PRIMARY KEY,/, ' NOT NULL,')
    : statement,
);
/**
 * The same tables in PostgreSQL, with an index on what each run selects by: the events of its
 * interval (`staging_events._event_time`) and its interval's songplays (`start_time`). Without
 * them every run's loads and checks read both tables whole, so a daily month's runs grew slower
 * day by day (BENCHMARKS.md). DuckDB skips what it need not read without an index; Redshift sorts.
 */
export const createTablesPostgres = [
  ...createTables,
  'CREATE INDEX IF NOT EXISTS staging_events_event_time ON staging_events (_event_time)',
  'CREATE INDEX IF NOT EXISTS songplays_start_time ON songplays (start_time)',
];
export const songplaysSelect = read('songplays');
export const usersSelect = read('users');
export const songsSelect = read('songs');
export const artistsSelect = read('artists');
export const timeSelect = read('time');

/** Changes whenever the staged song catalog changes (see Stage_songs). */
export const catalogVersion =
  "SELECT fingerprint FROM _downbeat_catalog_state WHERE table_name = 'staging_songs' AND prefix = 'song_data/'";
