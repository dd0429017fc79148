-- Durations of ended tries, summed per task and outcome as each try ends: /metrics reads this
-- small table instead of aggregating every try ever run. Each task's totals are spread over 16
-- shards (task instance id mod 16), so that workers ending tries of one task at once do not all
-- wait for one row.
CREATE TABLE try_duration_totals (
  dag_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  state TEXT NOT NULL,
  shard INTEGER NOT NULL,
  tries BIGINT NOT NULL,
  seconds DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (dag_id, task_id, state, shard)
);

INSERT INTO try_duration_totals (dag_id, task_id, state, shard, tries, seconds)
SELECT ti.dag_id, ti.task_id, t.state, 0, COUNT(*), SUM(t.ended_at - t.started_at) / 1000.0
FROM task_tries t JOIN task_instances ti ON ti.id = t.ti_id
WHERE t.ended_at IS NOT NULL
GROUP BY ti.dag_id, ti.task_id, t.state;
