import type { StagingColumn } from 'downbeat';

/** log_data events → staging_events (the template's columns, lower-case, plus the event's time). */
export const eventColumns: readonly StagingColumn[] = [
  { name: 'artist', type: 'text' },
  { name: 'auth', type: 'text' },
  { name: 'firstname', field: 'firstName', type: 'text' },
  { name: 'gender', type: 'text' },
  { name: 'iteminsession', field: 'itemInSession', type: 'integer' },
  { name: 'lastname', field: 'lastName', type: 'text' },
  { name: 'length', type: 'double' },
  { name: 'level', type: 'text' },
  { name: 'location', type: 'text' },
  { name: 'method', type: 'text' },
  { name: 'page', type: 'text' },
  { name: 'registration', type: 'double' },
  { name: 'sessionid', field: 'sessionId', type: 'integer' },
  { name: 'song', type: 'text' },
  { name: 'status', type: 'integer' },
  { name: 'ts', type: 'bigint', required: true },
  { name: 'useragent', field: 'userAgent', type: 'text' },
  // A string in the source; "" when logged out.
  { name: 'userid', field: 'userId', type: 'integer', emptyAsNull: true },
  { name: '_event_time', field: 'ts', type: 'epoch_ms_timestamp', required: true },
];

/** A play needs its user and its place in a session: without them it has no key. */
export function validateEvent(event: Record<string, unknown>): string | undefined {
  if (event.page !== 'NextSong') return undefined;
  for (const field of ['userId', 'sessionId', 'itemInSession'] as const) {
    if (event[field] === undefined || event[field] === null || event[field] === '')
      return `${field}: missing on a NextSong event`;
  }
  return undefined;
}

/** validateEvent as SQL over staging_events, for a warehouse that loads the day files itself (Redshift's COPY). */
export const eventRejectWhere: readonly { condition: string; reason: string }[] = (
  [
    ['userid', 'userId'],
    ['sessionid', 'sessionId'],
    ['iteminsession', 'itemInSession'],
  ] as const
).map(([column, field]) => ({
  condition: `page = 'NextSong' AND ${column} IS NULL`,
  reason: `${field}: missing on a NextSong event`,
}));

/** song_data songs → staging_songs. */
export const songColumns: readonly StagingColumn[] = [
  { name: 'num_songs', type: 'integer' },
  { name: 'artist_id', type: 'text', required: true },
  { name: 'artist_name', type: 'text' },
  { name: 'artist_latitude', type: 'double' },
  { name: 'artist_longitude', type: 'double' },
  { name: 'artist_location', type: 'text' },
  { name: 'song_id', type: 'text', required: true },
  { name: 'title', type: 'text' },
  { name: 'duration', type: 'double' },
  { name: 'year', type: 'integer' },
];
