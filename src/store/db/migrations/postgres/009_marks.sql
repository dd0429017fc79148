-- Who last marked a task instance or a run by hand (success or failed), and when.
ALTER TABLE task_instances ADD COLUMN marked_by TEXT;
ALTER TABLE task_instances ADD COLUMN marked_at BIGINT;
ALTER TABLE dag_runs ADD COLUMN marked_by TEXT;
ALTER TABLE dag_runs ADD COLUMN marked_at BIGINT;
