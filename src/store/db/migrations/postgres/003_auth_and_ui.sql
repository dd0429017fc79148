-- Users of the web UI and API (passwords as salted scrypt hashes), their sessions and API tokens
-- (stored as SHA-256 hashes: a stolen DB copy holds no usable token), and what the UI reads fast.
CREATE TABLE users (
  username TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE auth_tokens (
  token_hash TEXT PRIMARY KEY,
  username TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  csrf_token TEXT,
  created_at BIGINT NOT NULL,
  expires_at BIGINT
);

-- The scheduler's last loop time, for /metrics.
ALTER TABLE processes ADD COLUMN loop_ms DOUBLE PRECISION;

-- The stats and DAG list read runs newest first per DAG and state.
CREATE INDEX dag_runs_dag_state ON dag_runs (dag_id, state, logical_date);
