-- The star schema and its staging tables, created when missing (idempotent). Types lose nothing:
-- durations, coordinates and registrations are doubles, times keep milliseconds.
-- Columns starting with _ are bookkeeping: where a staged row came from, and when its event happened.
CREATE TABLE IF NOT EXISTS staging_events (
  artist VARCHAR, auth VARCHAR, firstname VARCHAR, gender VARCHAR, iteminsession INTEGER,
  lastname VARCHAR, length DOUBLE PRECISION, level VARCHAR, location VARCHAR, method VARCHAR,
  page VARCHAR, registration DOUBLE PRECISION, sessionid INTEGER, song VARCHAR, status INTEGER,
  ts BIGINT, useragent VARCHAR, userid INTEGER,
  _event_time TIMESTAMP, _source_key VARCHAR(1024), _source_line BIGINT
);
CREATE TABLE IF NOT EXISTS staging_songs (
  num_songs INTEGER, artist_id VARCHAR, artist_name VARCHAR, artist_latitude DOUBLE PRECISION,
  artist_longitude DOUBLE PRECISION, artist_location VARCHAR, song_id VARCHAR, title VARCHAR,
  duration DOUBLE PRECISION, year INTEGER,
  _source_key VARCHAR(1024), _source_line BIGINT
);
CREATE TABLE IF NOT EXISTS songplays (
  playid VARCHAR(32) NOT NULL PRIMARY KEY, start_time TIMESTAMP NOT NULL, userid INTEGER NOT NULL,
  level VARCHAR, songid VARCHAR, artistid VARCHAR, sessionid INTEGER, location VARCHAR, user_agent VARCHAR
);
-- level_at: the time of the NextSong event that gave the user's level, so an older hour never overwrites it.
CREATE TABLE IF NOT EXISTS users (
  userid INTEGER NOT NULL PRIMARY KEY, first_name VARCHAR, last_name VARCHAR, gender VARCHAR, level VARCHAR,
  level_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS songs (
  songid VARCHAR NOT NULL PRIMARY KEY, title VARCHAR, artistid VARCHAR, year INTEGER, duration DOUBLE PRECISION
);
CREATE TABLE IF NOT EXISTS artists (
  artistid VARCHAR NOT NULL PRIMARY KEY, name VARCHAR, location VARCHAR, latitude DOUBLE PRECISION,
  longitude DOUBLE PRECISION
);
CREATE TABLE IF NOT EXISTS "time" (
  start_time TIMESTAMP NOT NULL PRIMARY KEY, hour INTEGER, day INTEGER, week INTEGER, month INTEGER,
  year INTEGER, weekday INTEGER
);
