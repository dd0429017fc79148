-- Source lineage (issue #19): when a sweep found that an object a succeeded run read has another
-- version at the source now (or is gone), and which (JSON: table, key, version read, version now or
-- null). Kept until the interval runs again and succeeds. The partial index holds the stale runs,
-- which `--reprocess stale` reads.
ALTER TABLE dag_runs ADD COLUMN stale_at BIGINT;
ALTER TABLE dag_runs ADD COLUMN stale_objects TEXT;
CREATE INDEX dag_runs_stale ON dag_runs (dag_id, logical_date) WHERE stale_at IS NOT NULL;
