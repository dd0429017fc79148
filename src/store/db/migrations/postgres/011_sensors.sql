-- When a task instance's first try started: kept across retries, a sensor's reschedules and a
-- lost worker (a sensor's timeout counts from here, as in Airflow); NULL again when it is cleared.
ALTER TABLE task_instances ADD COLUMN first_started_at BIGINT;
