-- The audit log (issue #20): one row per change made through the API, the UI or the CLI, and per
-- login and failed login: when, who, from where (an address, or 'cli'), what, on which object, and
-- the request's fields as JSON with their secrets masked. Read newest first, by user or action,
-- deleted by `db clean` like logs.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  username TEXT NOT NULL,
  address TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  fields TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_user ON audit_log (username, at);
CREATE INDEX audit_log_action ON audit_log (action, at);
