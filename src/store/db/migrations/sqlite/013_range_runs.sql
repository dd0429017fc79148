-- foreign_keys: off
-- Range runs (DESIGN §5.1): one execution over several consecutive intervals of a backfill, kept
-- in dag_runs beside the interval runs it covers (kind 'range'); each covered interval run links
-- to it (range_run_pk). A range run shares its first interval's logical date, so the one run per
-- (DAG, logical date) holds for interval runs only. SQLite cannot change a table's constraints:
-- the table is rebuilt, with foreign keys off while task_instances points at the old one.
CREATE TABLE dag_runs_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  dag_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  run_type TEXT NOT NULL,
  logical_date INTEGER NOT NULL,
  interval_start INTEGER NOT NULL,
  interval_end INTEGER NOT NULL,
  state TEXT NOT NULL,
  conf TEXT NOT NULL,
  backfill_id INTEGER REFERENCES backfills (id),
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  ended_at INTEGER,
  dag_version TEXT NOT NULL DEFAULT '',
  marked_by TEXT,
  marked_at INTEGER,
  kind TEXT NOT NULL DEFAULT 'interval',
  intervals INTEGER NOT NULL DEFAULT 1,
  range_run_pk INTEGER REFERENCES dag_runs_new (id) ON DELETE SET NULL,
  UNIQUE (dag_id, run_id)
);
INSERT INTO dag_runs_new (id, dag_id, run_id, run_type, logical_date, interval_start, interval_end, state, conf,
  backfill_id, created_at, started_at, ended_at, dag_version, marked_by, marked_at)
SELECT id, dag_id, run_id, run_type, logical_date, interval_start, interval_end, state, conf,
  backfill_id, created_at, started_at, ended_at, dag_version, marked_by, marked_at FROM dag_runs;
DROP TABLE dag_runs;
ALTER TABLE dag_runs_new RENAME TO dag_runs;
CREATE UNIQUE INDEX dag_runs_interval ON dag_runs (dag_id, logical_date) WHERE kind = 'interval';
CREATE INDEX dag_runs_state ON dag_runs (state, dag_id);
CREATE INDEX dag_runs_backfill ON dag_runs (backfill_id);
CREATE INDEX dag_runs_dag_state ON dag_runs (dag_id, state, logical_date);
CREATE INDEX dag_runs_dag_type_date ON dag_runs (dag_id, run_type, logical_date);
CREATE INDEX dag_runs_range ON dag_runs (range_run_pk) WHERE range_run_pk IS NOT NULL;
-- How many intervals a backfill's range runs cover at most (1: a run per interval).
ALTER TABLE backfills ADD COLUMN max_intervals_per_run INTEGER NOT NULL DEFAULT 1;
-- A range run's data-quality result for one covered interval (its start); null: the run's whole interval.
ALTER TABLE check_results ADD COLUMN interval_start INTEGER;
