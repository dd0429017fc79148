-- One row per NextSong event of the run's interval, read from exactly the objects the run staged.
-- playid = md5(userId|sessionId|itemInSession|ts): the same in every warehouse. A play's song is
-- the catalog song with the same title, artist name and duration (the smallest song_id if several);
-- only catalog songs whose title was played are ranked, which keeps whole (title, artist, duration)
-- groups and so chooses the same song as ranking the whole catalog.
WITH plays AS (
  SELECT e.userid, e.sessionid, e.iteminsession, e.ts, e._event_time, e.level, e.location, e.useragent,
    e.song, e.artist, e.length, e._source_key, e._source_line
  FROM staging_events AS e
  WHERE e.page = 'NextSong'
    AND e._event_time >= CAST($interval_start AS TIMESTAMP) AND e._event_time < CAST($interval_end AS TIMESTAMP)
    AND e._source_key IN (
      SELECT object_key FROM _downbeat_run_objects WHERE run_id = $run_id AND table_name = 'staging_events'
    )
),
candidates AS (
  SELECT song_id, artist_id, title, artist_name, duration,
    ROW_NUMBER() OVER (PARTITION BY title, artist_name, duration ORDER BY song_id) AS song_rank
  FROM staging_songs
  WHERE title IN (SELECT song FROM plays)
)
SELECT playid, start_time, userid, level, songid, artistid, sessionid, location, user_agent
FROM (
  SELECT
    md5(CAST(p.userid AS VARCHAR) || '|' || CAST(p.sessionid AS VARCHAR) || '|'
        || CAST(p.iteminsession AS VARCHAR) || '|' || CAST(p.ts AS VARCHAR)) AS playid,
    p._event_time AS start_time, p.userid, p.level, s.song_id AS songid, s.artist_id AS artistid,
    p.sessionid, p.location, p.useragent AS user_agent,
    ROW_NUMBER() OVER (
      PARTITION BY p.userid, p.sessionid, p.iteminsession, p.ts ORDER BY p._source_key, p._source_line
    ) AS event_rank
  FROM plays AS p
  LEFT JOIN candidates AS s
    ON s.song_rank = 1 AND s.title = p.song AND s.artist_name = p.artist AND s.duration = p.length
) AS ranked
WHERE event_rank = 1
