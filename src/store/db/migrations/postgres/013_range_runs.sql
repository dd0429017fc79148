-- Range runs (DESIGN §5.1): one execution over several consecutive intervals of a backfill, kept
-- in dag_runs beside the interval runs it covers (kind 'range'); each covered interval run links
-- to it (range_run_pk). A range run shares its first interval's logical date, so the one run per
-- (DAG, logical date) holds for interval runs only.
ALTER TABLE dag_runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'interval';
ALTER TABLE dag_runs ADD COLUMN intervals INTEGER NOT NULL DEFAULT 1;
ALTER TABLE dag_runs ADD COLUMN range_run_pk BIGINT REFERENCES dag_runs (id) ON DELETE SET NULL;
ALTER TABLE dag_runs DROP CONSTRAINT dag_runs_dag_id_logical_date_key;
CREATE UNIQUE INDEX dag_runs_interval ON dag_runs (dag_id, logical_date) WHERE kind = 'interval';
CREATE INDEX dag_runs_range ON dag_runs (range_run_pk) WHERE range_run_pk IS NOT NULL;
-- How many intervals a backfill's range runs cover at most (1: a run per interval).
ALTER TABLE backfills ADD COLUMN max_intervals_per_run INTEGER NOT NULL DEFAULT 1;
-- A range run's data-quality result for one covered interval (its start); null: the run's whole interval.
ALTER TABLE check_results ADD COLUMN interval_start BIGINT;
