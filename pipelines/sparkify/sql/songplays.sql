-- One row per NextSong event of the run's interval, read from exactly the objects the run staged.
-- playid = md5(userId|sessionId|itemInSession|ts): the same in every warehouse. A play's song is
-- the catalog song with the same title, artist name and duration (the smallest song_id if several).
SELECT playid, start_time, userid, level, songid, artistid, sessionid, location, user_agent
FROM (
  SELECT
    md5(CAST(e.userid AS VARCHAR) || '|' || CAST(e.sessionid AS VARCHAR) || '|'
        || CAST(e.iteminsession AS VARCHAR) || '|' || CAST(e.ts AS VARCHAR)) AS playid,
    e._event_time AS start_time, e.userid, e.level, s.song_id AS songid, s.artist_id AS artistid,
    e.sessionid, e.location, e.useragent AS user_agent,
    ROW_NUMBER() OVER (
      PARTITION BY e.userid, e.sessionid, e.iteminsession, e.ts ORDER BY e._source_key, e._source_line
    ) AS event_rank
  FROM staging_events AS e
  LEFT JOIN (
    SELECT song_id, artist_id, title, artist_name, duration,
      ROW_NUMBER() OVER (PARTITION BY title, artist_name, duration ORDER BY song_id) AS song_rank
    FROM staging_songs
  ) AS s
    ON s.song_rank = 1 AND s.title = e.song AND s.artist_name = e.artist AND s.duration = e.length
  WHERE e.page = 'NextSong'
    AND e._event_time >= CAST($interval_start AS TIMESTAMP) AND e._event_time < CAST($interval_end AS TIMESTAMP)
    AND e._source_key IN (
      SELECT object_key FROM _downbeat_run_objects WHERE run_id = $run_id AND table_name = 'staging_events'
    )
) AS plays
WHERE event_rank = 1
