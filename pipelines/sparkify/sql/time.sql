-- One row per distinct start time of the interval's songplays; weekday is ISO (1 = Monday).
SELECT DISTINCT start_time,
  CAST(EXTRACT(HOUR FROM start_time) AS INTEGER) AS hour,
  CAST(EXTRACT(DAY FROM start_time) AS INTEGER) AS day,
  CAST(EXTRACT(WEEK FROM start_time) AS INTEGER) AS week,
  CAST(EXTRACT(MONTH FROM start_time) AS INTEGER) AS month,
  CAST(EXTRACT(YEAR FROM start_time) AS INTEGER) AS year,
  CAST(EXTRACT(ISODOW FROM start_time) AS INTEGER) AS weekday
FROM songplays
WHERE start_time >= CAST($interval_start AS TIMESTAMP) AND start_time < CAST($interval_end AS TIMESTAMP)
