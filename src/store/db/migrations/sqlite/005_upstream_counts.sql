-- A task instance counts its upstream tasks by how they ended, so that the end of a try decides
-- its downstream tasks (trigger rules, src/lifecycle/dependencies.ts) from their own rows.
-- upstream_done now counts every ended upstream task; until now it counted the successes alone.
ALTER TABLE task_instances ADD COLUMN upstream_success INTEGER NOT NULL DEFAULT 0;
ALTER TABLE task_instances ADD COLUMN upstream_skipped INTEGER NOT NULL DEFAULT 0;
ALTER TABLE task_instances ADD COLUMN upstream_failed INTEGER NOT NULL DEFAULT 0;
UPDATE task_instances SET upstream_success = upstream_done;
