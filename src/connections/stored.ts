import type { DownbeatConfig } from '../config/index.ts';
import { listConnections } from '../store/admin/index.ts';
import type { Db } from '../store/db/index.ts';
import { SecretBox } from './secret-box.ts';

/** The connections kept in the metadata DB, each decrypted when first used (a wrong key fails only its users). */
export async function storedConnections(db: Db, config: DownbeatConfig): Promise<Map<string, () => string>> {
  const rows = await listConnections(db);
  if (rows.length === 0) return new Map();
  const box = SecretBox.fromConfig(config.env.DOWNBEAT_SECRET_KEY, config.home);
  return new Map(
    rows.map((row) => [row.conn_id, () => box.open(row.uri_encrypted, `connection "${row.conn_id}"`)]),
  );
}
