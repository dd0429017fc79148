-- The metadata DB (PostgreSQL). Times are epoch milliseconds; JSON is text; flags are 0/1.
CREATE TABLE dags (
  dag_id TEXT PRIMARY KEY,
  file TEXT NOT NULL,
  spec TEXT NOT NULL,
  schedule TEXT,
  timezone TEXT NOT NULL,
  start_date BIGINT NOT NULL,
  catchup BIGINT NOT NULL,
  max_active_runs BIGINT NOT NULL,
  is_paused BIGINT NOT NULL,
  is_active BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE dag_import_errors (
  file TEXT PRIMARY KEY,
  message TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE backfills (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dag_id TEXT NOT NULL,
  start_date BIGINT NOT NULL,
  end_date BIGINT NOT NULL,
  reprocess TEXT NOT NULL,
  max_active_runs BIGINT NOT NULL,
  state TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  ended_at BIGINT
);

CREATE TABLE dag_runs (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dag_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  run_type TEXT NOT NULL,
  logical_date BIGINT NOT NULL,
  interval_start BIGINT NOT NULL,
  interval_end BIGINT NOT NULL,
  state TEXT NOT NULL,
  conf TEXT NOT NULL,
  backfill_id BIGINT REFERENCES backfills (id),
  created_at BIGINT NOT NULL,
  started_at BIGINT,
  ended_at BIGINT,
  UNIQUE (dag_id, logical_date),
  UNIQUE (dag_id, run_id)
);
CREATE INDEX dag_runs_state ON dag_runs (state, dag_id);
CREATE INDEX dag_runs_backfill ON dag_runs (backfill_id);

CREATE TABLE task_instances (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_pk BIGINT NOT NULL REFERENCES dag_runs (id) ON DELETE CASCADE,
  dag_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  state TEXT NOT NULL,
  try_number BIGINT NOT NULL,
  retries BIGINT NOT NULL,
  failures BIGINT NOT NULL,
  retry_delay_ms BIGINT NOT NULL,
  retry_exponential BIGINT NOT NULL,
  max_retry_delay_ms BIGINT NOT NULL,
  timeout_ms BIGINT,
  priority BIGINT NOT NULL,
  upstream_total BIGINT NOT NULL,
  upstream_done BIGINT NOT NULL,
  downstream TEXT NOT NULL,
  ready_at BIGINT,
  worker TEXT,
  heartbeat_at BIGINT,
  started_at BIGINT,
  ended_at BIGINT,
  UNIQUE (run_pk, task_id)
);
CREATE INDEX task_instances_queue ON task_instances (state, priority, ready_at);

CREATE TABLE task_tries (
  ti_id BIGINT NOT NULL REFERENCES task_instances (id) ON DELETE CASCADE,
  try_number BIGINT NOT NULL,
  state TEXT NOT NULL,
  worker TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  ended_at BIGINT,
  error_code TEXT,
  error_message TEXT,
  outcome TEXT,
  PRIMARY KEY (ti_id, try_number)
);

CREATE TABLE task_log_lines (
  ti_id BIGINT NOT NULL REFERENCES task_instances (id) ON DELETE CASCADE,
  try_number BIGINT NOT NULL,
  line_no BIGINT NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (ti_id, try_number, line_no)
);

CREATE TABLE check_results (
  ti_id BIGINT NOT NULL REFERENCES task_instances (id) ON DELETE CASCADE,
  try_number BIGINT NOT NULL,
  position BIGINT NOT NULL,
  name TEXT NOT NULL,
  check_sql TEXT,
  expected TEXT NOT NULL,
  actual TEXT NOT NULL,
  passed BIGINT NOT NULL,
  PRIMARY KEY (ti_id, try_number, position)
);

CREATE TABLE variables (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE processes (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  hostname TEXT NOT NULL,
  pid BIGINT NOT NULL,
  started_at BIGINT NOT NULL,
  heartbeat_at BIGINT NOT NULL
);
