-- A DAG's version: a hash of its stored spec, new whenever its file changes what it defines; each
-- run records the version it was created with (a DAG folder is loaded again when a file changes).
ALTER TABLE dags ADD COLUMN version TEXT NOT NULL DEFAULT '';
ALTER TABLE dag_runs ADD COLUMN dag_version TEXT NOT NULL DEFAULT '';
