/**
 * Sparkify's warehouse ETL (DESIGN §6): stage the day's app events and the song catalog from the
 * object store, load the songplays fact for the hour, upsert the four dimensions, check the result.
 * Task ids and edges are the original Airflow DAG's.
 */
import {
  dag,
  dataQuality,
  loadDimension,
  loadFact,
  noop,
  sql,
  stageJson,
  type Duration,
  type StageWait,
} from 'downbeat';
import { sparkifyChecks } from './quality-checks.ts';
import * as q from './sql.ts';
import { eventColumns, eventRejectWhere, songColumns, validateEvent } from './staging-columns.ts';

/**
 * The Sparkify DAG on a schedule of its choosing: the same tasks and SQL hour by hour or day by
 * day. Every load replaces or merges by its interval, so hourly and daily runs of the same period
 * give the same warehouse.
 */
export function sparkifyDag(options: {
  id: string;
  schedule: string;
  description: string;
  /** How Stage_events waits for a late day file. @default poke 1 min, up to 1 h, in scheduled and manual runs */
  eventsWait?: StageWait;
  /**
   * Intervals one execution of a backfill covers (range runs, DESIGN §5.1). @default 'all': a
   * backfill of a month is one run over the month, each hour keeping its own run row
   */
  maxIntervalsPerRun?: number | 'all';
  /** The wait before each of the 3 retries. @default '5m' (the brief's) */
  retryDelay?: Duration;
  /** Rejected event records a run tolerates (their lines are kept either way). @default 0 */
  eventsRejectLimit?: number;
}) {
  return dag(
    {
      id: options.id,
      description: options.description,
      schedule: options.schedule,
      startDate: '2018-11-01T00:00:00Z',
      catchup: false,
      tags: ['sparkify'],
      backfillPolicy: { maxIntervalsPerRun: options.maxIntervalsPerRun ?? 'all' },
      // Analysts query each hour 20 minutes after it ends: a scheduled hour not loaded by then is
      // alerted (the alert_webhook connection) and shown on its run.
      deadline: '20m',
      defaultArgs: {
        retries: 3,
        retryDelay: options.retryDelay ?? '5m',
        dependsOnPast: false,
        alertOnRetry: false,
      },
      // With nothing configured, the sample data that `downbeat sparkify generate` writes here.
      connectionDefaults: { sparkify_source: 'file://${DOWNBEAT_HOME}/sample/sparkify' },
    },
    (d) => {
      // Begin_execution also creates the schema when it is missing (idempotent; one run at a time).
      const begin = d.task(
        'Begin_execution',
        sql({
          statements: q.createTables,
          statementsFor: {
            redshift: q.createTablesRedshift,
            duckdb: q.createTablesDuckDb,
            postgres: q.createTablesPostgres,
          },
          lock: 'sparkify_schema',
        }),
      );
      const stageEvents = d.task(
        'Stage_events',
        stageJson({
          source: 'sparkify_source',
          table: 'staging_events',
          objects: { every: 'day', key: 'log_data/{{ YYYY }}/{{ MM }}/{{ ds }}-events.json' },
          framing: 'ndjson',
          columns: eventColumns,
          validate: validateEvent,
          // On Redshift with an S3 source, each day file is loaded by COPY, which checks these instead.
          rejectWhere: eventRejectWhere,
          rejectLimit: options.eventsRejectLimit ?? 0,
          // A late day file is waited for, not failed on, without holding a worker; a backfill of
          // a day that has no file fails at once, naming it.
          waitForObjects: options.eventsWait ?? { pokeInterval: '1m', timeout: '1h' },
        }),
      );
      const stageSongs = d.task(
        'Stage_songs',
        stageJson({
          source: 'sparkify_source',
          table: 'staging_songs',
          objects: { prefix: 'song_data/', suffix: '.json' },
          framing: 'json',
          columns: songColumns,
          // A backfill runs hundreds of hours a minute: one listing of the catalog serves them all.
          relistAfter: '1m',
        }),
      );
      const songplays = d.task(
        'Load_songplays_fact_table',
        loadFact({
          table: 'songplays',
          columns: [
            'playid',
            'start_time',
            'userid',
            'level',
            'songid',
            'artistid',
            'sessionid',
            'location',
            'user_agent',
          ],
          select: q.songplaysSelect,
          intervalColumn: 'start_time',
        }),
      );
      const users = d.task(
        'Load_user_dim_table',
        loadDimension({
          table: 'users',
          columns: ['userid', 'first_name', 'last_name', 'gender', 'level', 'level_at'],
          key: ['userid'],
          select: q.usersSelect,
          orderBy: 'level_at DESC, sessionid DESC, iteminsession DESC',
          updateWhen: 'source.level_at > target.level_at',
        }),
      );
      const songs = d.task(
        'Load_song_dim_table',
        loadDimension({
          table: 'songs',
          columns: ['songid', 'title', 'artistid', 'year', 'duration'],
          key: ['songid'],
          select: q.songsSelect,
          orderBy: '_source_key, _source_line',
          inputVersion: q.catalogVersion,
        }),
      );
      const artists = d.task(
        'Load_artist_dim_table',
        loadDimension({
          table: 'artists',
          columns: ['artistid', 'name', 'location', 'latitude', 'longitude'],
          key: ['artistid'],
          select: q.artistsSelect,
          orderBy: 'song_id, _source_key, _source_line',
          inputVersion: q.catalogVersion,
        }),
      );
      const time = d.task(
        'Load_time_dim_table',
        loadDimension({
          table: 'time',
          columns: ['start_time', 'hour', 'day', 'week', 'month', 'year', 'weekday'],
          key: ['start_time'],
          select: q.timeSelect,
          orderBy: 'start_time',
          // A time row belongs to one interval: the merge need not read the others.
          targetFilter:
            'target.start_time >= CAST($interval_start AS TIMESTAMP) AND target.start_time < CAST($interval_end AS TIMESTAMP)',
        }),
      );
      const quality = d.task('Run_data_quality_checks', dataQuality({ checks: sparkifyChecks }));
      const stop = d.task('Stop_execution', noop());

      d.chain(begin, [stageEvents, stageSongs], songplays, [users, songs, artists, time], quality, stop);
    },
  );
}

/** Sparkify's ETL as the brief has it: every hour. */
export default sparkifyDag({
  id: 'sparkify_etl',
  description: 'Loads Sparkify app events and songs from the object store into the star schema, hourly',
  schedule: '0 * * * *',
});

/**
 * The same DAG once a day, for loading history fast: a backfill of a month is 30 runs instead of
 * 720, each staging one day file and loading a day's songplays in one statement per task.
 */
export const daily = sparkifyDag({
  id: 'sparkify_etl_daily',
  description:
    'Sparkify ETL, one run per day: for loading history fast (same tasks and tables as sparkify_etl)',
  schedule: '@daily',
});
