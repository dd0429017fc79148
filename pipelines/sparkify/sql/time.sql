-- One row per distinct start time of the interval's songplays; weekday is ISO (1 = Monday), from
-- DOW (0 = Sunday) because Redshift has no ISODOW.
SELECT DISTINCT start_time,
  CAST(EXTRACT(HOUR FROM start_time) AS INTEGER) AS hour,
  CAST(EXTRACT(DAY FROM start_time) AS INTEGER) AS day,
  CAST(EXTRACT(WEEK FROM start_time) AS INTEGER) AS week,
  CAST(EXTRACT(MONTH FROM start_time) AS INTEGER) AS month,
  CAST(EXTRACT(YEAR FROM start_time) AS INTEGER) AS year,
  CASE WHEN CAST(EXTRACT(DOW FROM start_time) AS INTEGER) = 0 THEN 7
    ELSE CAST(EXTRACT(DOW FROM start_time) AS INTEGER) END AS weekday
FROM songplays
WHERE start_time >= CAST($interval_start AS TIMESTAMP) AND start_time < CAST($interval_end AS TIMESTAMP)
