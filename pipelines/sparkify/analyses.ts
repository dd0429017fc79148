/**
 * Sparkify's analyses (DESIGN §8): the questions the star schema exists for, each one read-only
 * SELECT that the web UI's Sparkify page sends as written through the warehouse explorer
 * (POST /api/v1/warehouse/query) and draws as a chart. No I/O here: the web app imports it.
 *
 * The SQL is portable (DuckDB, PostgreSQL, Redshift): DATE_PART, CAST, CASE, GROUP BY, window
 * aggregates, ORDER BY … LIMIT. Each reads songplays once with plain aggregates (no correlated
 * subquery): one scan, however many plays. Every result carries the period it covers in three columns of every row
 * (`PERIOD_COLUMNS`): the first and last start_time of the plays it summarises, and their
 * number, as window aggregates over its groups (computed before a LIMIT, so a top 10 still
 * reports all the plays it ranked).
 */

/** The columns every analysis's rows end with: the period it covers. */
export const PERIOD_COLUMNS = {
  start: 'period_start',
  end: 'period_end',
  plays: 'period_plays',
} as const;

/**
 * The period columns of a grouped query: each group's first and last start_time and its plays,
 * aggregated over all groups. `indent`: the spaces before each line after the first.
 */
function periodOf(first: string, last: string, plays: string, indent = 7): string {
  return [
    `MIN(${first}) OVER () AS ${PERIOD_COLUMNS.start}`,
    `MAX(${last}) OVER () AS ${PERIOD_COLUMNS.end}`,
    `SUM(${plays}) OVER () AS ${PERIOD_COLUMNS.plays}`,
  ].join(`,\n${' '.repeat(indent)}`);
}
const PERIOD = periodOf('MIN(start_time)', 'MAX(start_time)', 'COUNT(*)');

/** A chart over a category axis: one bar per row. */
export interface ColumnsChart {
  readonly kind: 'columns';
  /** The column of the x labels, and what they are. */
  readonly x: { readonly column: string; readonly label: string };
  readonly y: { readonly column: string; readonly label: string };
  /** Labels every row should have, in order (0–23 for hours): a missing one is a zero bar. */
  readonly categories?: readonly string[];
}

/** Lines over a time axis: one or more panels of series, each a column of the result. */
export interface LinesChart {
  readonly kind: 'lines';
  readonly x: { readonly column: string; readonly label: string };
  readonly panels: readonly {
    readonly title: string;
    readonly y: string;
    readonly series: readonly { readonly column: string; readonly name: string; readonly colour: string }[];
  }[];
}

/** A ranking: one horizontal bar per row, best first, labelled with one or more columns. */
export interface RankingChart {
  readonly kind: 'ranking';
  /** Joined with " — " to label a bar (a song and its artist). */
  readonly label: readonly string[];
  readonly value: { readonly column: string; readonly label: string };
}

export type AnalysisChart = ColumnsChart | LinesChart | RankingChart;

export interface Analysis {
  readonly id: string;
  readonly title: string;
  /** What it shows, in a sentence. */
  readonly description: string;
  readonly sql: string;
  /** What the period's count counts: "plays", or "matched plays" for a ranking of songs. */
  readonly summarises: string;
  /** Rows asked for: more than the query gives for years of data (a cut result says so). */
  readonly limit: number;
  readonly chart: AnalysisChart;
}

const FREE = '#1f6feb';
const PAID = '#d97706';
const TOP = 10;

const HOURS = Array.from({ length: 24 }, (_, h) => String(h));

export const sparkifyAnalyses: readonly Analysis[] = [
  {
    id: 'plays-per-hour',
    title: 'Plays per hour of day',
    description: 'When Sparkify is listened to: every play, by the hour (UTC) it started in.',
    // DATE_PART, not EXTRACT: PostgreSQL's EXTRACT (14 on) computes a NUMERIC per row, which made
    // this query 1.7 times slower on 10M plays; the three engines all have DATE_PART.
    sql: `SELECT DATE_PART('hour', start_time) AS hour_of_day,
       COUNT(*) AS plays,
       ${PERIOD}
FROM songplays
GROUP BY DATE_PART('hour', start_time)
ORDER BY hour_of_day`,
    summarises: 'plays',
    limit: 24,
    chart: {
      kind: 'columns',
      x: { column: 'hour_of_day', label: 'hour of day (UTC)' },
      y: { column: 'plays', label: 'plays' },
      categories: HOURS,
    },
  },
  {
    id: 'plays-per-day',
    title: 'Plays per day',
    description: 'Every play, by the day (UTC) it started on.',
    // The day as text: drivers read a DATE as a local midnight, text is the same everywhere.
    sql: `SELECT CAST(CAST(start_time AS DATE) AS VARCHAR(10)) AS play_date,
       COUNT(*) AS plays,
       ${PERIOD}
FROM songplays
GROUP BY CAST(start_time AS DATE)
ORDER BY play_date`,
    summarises: 'plays',
    limit: 5000,
    chart: {
      kind: 'columns',
      x: { column: 'play_date', label: 'day (UTC)' },
      y: { column: 'plays', label: 'plays' },
    },
  },
  {
    id: 'top-songs',
    title: 'Top 10 songs',
    description: 'The songs played most, among the plays matched to a song of the catalog.',
    // Counted by songid first, the names joined to the ten only.
    sql: `WITH ranked AS (
  SELECT songid,
         COUNT(*) AS plays,
         ${periodOf('MIN(start_time)', 'MAX(start_time)', 'COUNT(*)', 9)}
  FROM songplays
  WHERE songid IS NOT NULL
  GROUP BY songid
  ORDER BY plays DESC, songid
  LIMIT ${TOP}
)
SELECT COALESCE(s.title, r.songid) AS song,
       COALESCE(a.name, s.artistid) AS artist,
       r.plays, r.songid,
       r.${PERIOD_COLUMNS.start}, r.${PERIOD_COLUMNS.end}, r.${PERIOD_COLUMNS.plays}
FROM ranked r
LEFT JOIN songs s ON s.songid = r.songid
LEFT JOIN artists a ON a.artistid = s.artistid
ORDER BY r.plays DESC, r.songid`,
    summarises: 'matched plays',
    limit: TOP,
    chart: { kind: 'ranking', label: ['song', 'artist'], value: { column: 'plays', label: 'plays' } },
  },
  {
    id: 'top-artists',
    title: 'Top 10 artists',
    description: 'The artists played most, among the plays matched to a song of the catalog.',
    sql: `WITH ranked AS (
  SELECT artistid,
         COUNT(*) AS plays,
         ${periodOf('MIN(start_time)', 'MAX(start_time)', 'COUNT(*)', 9)}
  FROM songplays
  WHERE artistid IS NOT NULL
  GROUP BY artistid
  ORDER BY plays DESC, artistid
  LIMIT ${TOP}
)
SELECT COALESCE(a.name, r.artistid) AS artist,
       r.plays, r.artistid,
       r.${PERIOD_COLUMNS.start}, r.${PERIOD_COLUMNS.end}, r.${PERIOD_COLUMNS.plays}
FROM ranked r
LEFT JOIN artists a ON a.artistid = r.artistid
ORDER BY r.plays DESC, r.artistid`,
    summarises: 'matched plays',
    limit: TOP,
    chart: { kind: 'ranking', label: ['artist'], value: { column: 'plays', label: 'plays' } },
  },
  {
    id: 'free-vs-paid',
    title: 'Free vs paid, per day',
    description:
      'Plays at each level, and the users who played at it, per day (UTC): a user who upgraded that day counts in both.',
    // One row per user, day and level first (a hash aggregate), then counted per day: cheaper
    // than COUNT(DISTINCT …) per day, which PostgreSQL sorts for.
    sql: `WITH user_days AS (
  SELECT CAST(start_time AS DATE) AS play_day, level, userid,
         COUNT(*) AS plays, MIN(start_time) AS first_play, MAX(start_time) AS last_play
  FROM songplays
  GROUP BY CAST(start_time AS DATE), level, userid
)
SELECT CAST(play_day AS VARCHAR(10)) AS play_date,
       SUM(CASE WHEN level = 'free' THEN plays ELSE 0 END) AS free_plays,
       SUM(CASE WHEN level = 'paid' THEN plays ELSE 0 END) AS paid_plays,
       COUNT(CASE WHEN level = 'free' THEN userid END) AS free_users,
       COUNT(CASE WHEN level = 'paid' THEN userid END) AS paid_users,
       ${periodOf('MIN(first_play)', 'MAX(last_play)', 'SUM(plays)')}
FROM user_days
GROUP BY play_day
ORDER BY play_date`,
    summarises: 'plays',
    limit: 5000,
    chart: {
      kind: 'lines',
      x: { column: 'play_date', label: 'day (UTC)' },
      panels: [
        {
          title: 'Plays',
          y: 'plays',
          series: [
            { column: 'free_plays', name: 'free', colour: FREE },
            { column: 'paid_plays', name: 'paid', colour: PAID },
          ],
        },
        {
          title: 'Users',
          y: 'users',
          series: [
            { column: 'free_users', name: 'free', colour: FREE },
            { column: 'paid_users', name: 'paid', colour: PAID },
          ],
        },
      ],
    },
  },
  {
    id: 'top-user-agents',
    title: 'Top 10 user agents',
    description: 'The browsers and apps plays came from, as their user agents say.',
    sql: `SELECT COALESCE(user_agent, '(none)') AS user_agent,
       COUNT(*) AS plays,
       ${PERIOD}
FROM songplays
GROUP BY user_agent
ORDER BY plays DESC, user_agent
LIMIT ${TOP}`,
    summarises: 'plays',
    limit: TOP,
    chart: { kind: 'ranking', label: ['user_agent'], value: { column: 'plays', label: 'plays' } },
  },
];
