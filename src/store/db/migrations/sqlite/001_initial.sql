-- The metadata DB (SQLite). Times are epoch milliseconds; JSON is text; flags are 0/1.
CREATE TABLE dags (
  dag_id TEXT PRIMARY KEY,
  file TEXT NOT NULL,
  spec TEXT NOT NULL,
  schedule TEXT,
  timezone TEXT NOT NULL,
  start_date INTEGER NOT NULL,
  catchup INTEGER NOT NULL,
  max_active_runs INTEGER NOT NULL,
  is_paused INTEGER NOT NULL,
  is_active INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE dag_import_errors (
  file TEXT PRIMARY KEY,
  message TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE backfills (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  dag_id TEXT NOT NULL,
  start_date INTEGER NOT NULL,
  end_date INTEGER NOT NULL,
  reprocess TEXT NOT NULL,
  max_active_runs INTEGER NOT NULL,
  state TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  ended_at INTEGER
);

CREATE TABLE dag_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  dag_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  run_type TEXT NOT NULL,
  logical_date INTEGER NOT NULL,
  interval_start INTEGER NOT NULL,
  interval_end INTEGER NOT NULL,
  state TEXT NOT NULL,
  conf TEXT NOT NULL,
  backfill_id INTEGER REFERENCES backfills (id),
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  ended_at INTEGER,
  UNIQUE (dag_id, logical_date),
  UNIQUE (dag_id, run_id)
);
CREATE INDEX dag_runs_state ON dag_runs (state, dag_id);
CREATE INDEX dag_runs_backfill ON dag_runs (backfill_id);

CREATE TABLE task_instances (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_pk INTEGER NOT NULL REFERENCES dag_runs (id) ON DELETE CASCADE,
  dag_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  state TEXT NOT NULL,
  try_number INTEGER NOT NULL,
  retries INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  retry_delay_ms INTEGER NOT NULL,
  retry_exponential INTEGER NOT NULL,
  max_retry_delay_ms INTEGER NOT NULL,
  timeout_ms INTEGER,
  priority INTEGER NOT NULL,
  upstream_total INTEGER NOT NULL,
  upstream_done INTEGER NOT NULL,
  downstream TEXT NOT NULL,
  ready_at INTEGER,
  worker TEXT,
  heartbeat_at INTEGER,
  started_at INTEGER,
  ended_at INTEGER,
  UNIQUE (run_pk, task_id)
);
CREATE INDEX task_instances_queue ON task_instances (state, priority, ready_at);

CREATE TABLE task_tries (
  ti_id INTEGER NOT NULL REFERENCES task_instances (id) ON DELETE CASCADE,
  try_number INTEGER NOT NULL,
  state TEXT NOT NULL,
  worker TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  error_code TEXT,
  error_message TEXT,
  outcome TEXT,
  PRIMARY KEY (ti_id, try_number)
);

CREATE TABLE task_log_lines (
  ti_id INTEGER NOT NULL REFERENCES task_instances (id) ON DELETE CASCADE,
  try_number INTEGER NOT NULL,
  line_no INTEGER NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (ti_id, try_number, line_no)
);

CREATE TABLE check_results (
  ti_id INTEGER NOT NULL REFERENCES task_instances (id) ON DELETE CASCADE,
  try_number INTEGER NOT NULL,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  check_sql TEXT,
  expected TEXT NOT NULL,
  actual TEXT NOT NULL,
  passed INTEGER NOT NULL,
  PRIMARY KEY (ti_id, try_number, position)
);

CREATE TABLE variables (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE processes (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  hostname TEXT NOT NULL,
  pid INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL
);
