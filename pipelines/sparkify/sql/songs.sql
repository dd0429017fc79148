-- Every song of the catalog staged so far.
SELECT song_id AS songid, title, artist_id AS artistid, year, duration, _source_key, _source_line
FROM staging_songs
WHERE song_id IS NOT NULL
