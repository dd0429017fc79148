import type { Db } from '../db/index.ts';

/** Stores a connection's encrypted URI (the caller encrypts). */
export async function putConnection(db: Db, id: string, encrypted: string, now: number): Promise<void> {
  await db.execute(
    `INSERT INTO connections (conn_id, uri_encrypted, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (conn_id) DO UPDATE SET uri_encrypted = excluded.uri_encrypted, updated_at = excluded.updated_at`,
    [id, encrypted, now],
  );
}

export async function listConnections(
  db: Db,
): Promise<{ conn_id: string; uri_encrypted: string; updated_at: number }[]> {
  return db.query('SELECT conn_id, uri_encrypted, updated_at FROM connections ORDER BY conn_id');
}

export async function deleteConnection(db: Db, id: string): Promise<boolean> {
  return (await db.execute('DELETE FROM connections WHERE conn_id = $1', [id])) > 0;
}
