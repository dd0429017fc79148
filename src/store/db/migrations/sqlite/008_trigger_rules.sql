-- Each task instance's trigger rule (src/lifecycle/dependencies.ts), as its task had it when the
-- run was created: the end of an upstream try decides it from its own row.
ALTER TABLE task_instances ADD COLUMN trigger_rule TEXT NOT NULL DEFAULT 'all_success';
