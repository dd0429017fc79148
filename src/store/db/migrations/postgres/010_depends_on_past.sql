-- A task instance waits for its task in the DAG's previous run (Airflow's depends_on_past), and
-- with wait_for_downstream for that task's downstream tasks there too.
ALTER TABLE task_instances ADD COLUMN depends_on_past INTEGER NOT NULL DEFAULT 0;
ALTER TABLE task_instances ADD COLUMN wait_for_downstream INTEGER NOT NULL DEFAULT 0;
