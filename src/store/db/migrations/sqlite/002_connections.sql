-- Connections kept in the metadata DB: the URI encrypted (AES-256-GCM, key from DOWNBEAT_SECRET_KEY).
CREATE TABLE connections (
  conn_id TEXT PRIMARY KEY,
  uri_encrypted TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
