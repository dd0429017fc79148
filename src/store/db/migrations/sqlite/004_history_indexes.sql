-- A DAG's newest scheduled run by index, not by reading all its runs: the scheduler asks for it
-- every loop (where the schedule goes on from), the DAG list for its next run, and `db clean` to
-- keep it while deleting the runs around it.
CREATE INDEX dag_runs_dag_type_date ON dag_runs (dag_id, run_type, logical_date);
