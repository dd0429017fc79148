-- Every artist of the catalog staged so far, with the attributes of its record with the smallest song_id.
SELECT artist_id AS artistid, artist_name AS name, artist_location AS location,
  artist_latitude AS latitude, artist_longitude AS longitude, song_id, _source_key, _source_line
FROM staging_songs
WHERE artist_id IS NOT NULL
