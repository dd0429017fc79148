-- The users who played a song in the interval, each as of their latest NextSong event there.
SELECT e.userid, e.firstname AS first_name, e.lastname AS last_name, e.gender, e.level,
  e._event_time AS level_at, e.sessionid, e.iteminsession
FROM staging_events AS e
WHERE e.page = 'NextSong'
  AND e._event_time >= CAST($interval_start AS TIMESTAMP) AND e._event_time < CAST($interval_end AS TIMESTAMP)
  AND e._source_key IN (
    SELECT object_key FROM _downbeat_run_objects WHERE run_id = $run_id AND table_name = 'staging_events'
  )
