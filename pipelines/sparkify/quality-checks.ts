import { checks, type DataQualityCheck } from 'downbeat';

const inInterval = (column: string) =>
  `${column} >= CAST($interval_start AS TIMESTAMP) AND ${column} < CAST($interval_end AS TIMESTAMP)`;

const runEvents = `SELECT object_key FROM _downbeat_run_objects WHERE run_id = $run_id AND table_name = 'staging_events'`;

/**
 * Sparkify's checks. Each holds for an hour without plays (there is no "not empty" check), and each
 * measures the offending rows so a failure says how many. Fact checks look at the run's interval;
 * dimension checks at the whole (small) dimension.
 */
export const sparkifyChecks: readonly DataQualityCheck[] = [
  checks.noNulls('songplays', 'playid', inInterval('start_time')),
  checks.noNulls('songplays', 'userid', inInterval('start_time')),
  checks.uniqueKey('songplays', ['playid'], inInterval('start_time')),
  checks.noNulls('users', 'userid'),
  checks.uniqueKey('users', ['userid']),
  checks.noNulls('songs', 'songid'),
  checks.uniqueKey('songs', ['songid']),
  checks.noNulls('artists', 'artistid'),
  checks.uniqueKey('artists', ['artistid']),
  checks.noNulls('"time"', 'start_time', inInterval('start_time')),
  checks.uniqueKey('"time"', ['start_time'], inInterval('start_time')),
  checks.referencesExisting(
    { table: 'songplays', column: 'userid', where: inInterval('child.start_time') },
    { table: 'users', column: 'userid' },
  ),
  checks.reconcile(
    'NextSong events in the interval = songplays in the interval',
    `SELECT COUNT(*) FROM songplays WHERE ${inInterval('start_time')}`,
    `SELECT COUNT(*) FROM staging_events WHERE page = 'NextSong' AND ${inInterval('_event_time')} AND _source_key IN (${runEvents})`,
  ),
];
