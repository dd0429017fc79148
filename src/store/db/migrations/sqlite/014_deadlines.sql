-- Deadlines (DESIGN §8): whether a scheduled run had succeeded by its interval's end plus its DAG's
-- deadline ('met' or 'missed', null until the deadline passes), and when a miss was found (kept
-- when the run succeeds later). The partial index holds the runs not decided yet, which the
-- scheduler's sweep reads every loop.
ALTER TABLE dag_runs ADD COLUMN deadline TEXT;
ALTER TABLE dag_runs ADD COLUMN deadline_missed_at INTEGER;
CREATE INDEX dag_runs_deadline_open ON dag_runs (dag_id, interval_end)
  WHERE deadline IS NULL AND run_type = 'scheduled' AND kind = 'interval';
