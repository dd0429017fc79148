-- Pools (Airflow's): a task instance runs only while its pool has slots open for it, counted
-- across every worker. default_pool holds every task that names no pool.
CREATE TABLE pools (
  name TEXT PRIMARY KEY,
  slots INTEGER NOT NULL,
  description TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
INSERT INTO pools (name, slots, description, updated_at) VALUES ('default_pool', 128, 'Default pool', 0);
ALTER TABLE task_instances ADD COLUMN pool TEXT NOT NULL DEFAULT 'default_pool';
ALTER TABLE task_instances ADD COLUMN pool_slots INTEGER NOT NULL DEFAULT 1;
ALTER TABLE task_instances ADD COLUMN priority_weight INTEGER NOT NULL DEFAULT 1;
-- The queue in claim order (run priority, then priority weight, then age), with what the claim
-- reads of each candidate: a claim walks it from the start and stops at its limit.
CREATE INDEX task_instances_claim ON task_instances (priority, priority_weight DESC, ready_at, id, pool, pool_slots)
  WHERE state IN ('queued', 'up_for_retry', 'up_for_reschedule');
