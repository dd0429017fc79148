import type { DownbeatConfig } from '../config/index.ts';
import { maskUri, SecretBox } from '../connections/index.ts';
import { deleteConnection, listConnections, putConnection } from '../store/admin/index.ts';
import type { Db } from '../store/db/index.ts';
import type { Connection } from './api/types.ts';
import type { ConnectionAdmin } from './context.ts';

/**
 * Connections as the API shows them: those stored in the metadata DB (decrypted only to be
 * masked) and those set by DOWNBEAT_CONN_ variables in the webserver's environment.
 */
export function connectionAdmin(db: Db, config: DownbeatConfig, now: () => number): ConnectionAdmin {
  const box = () => SecretBox.fromConfig(config.env.DOWNBEAT_SECRET_KEY, config.home);
  return {
    async list() {
      const stored: Connection[] = (await listConnections(db)).map((row) => {
        let uri: string;
        try {
          uri = maskUri(box().open(row.uri_encrypted, `connection "${row.conn_id}"`));
        } catch (error) {
          uri = `(${(error as Error).message})`;
        }
        return { connection_id: row.conn_id, uri, source: 'stored' };
      });
      const fromEnv: Connection[] = Object.entries(config.env)
        .filter(([name, value]) => name.startsWith('DOWNBEAT_CONN_') && value)
        .map(([name, value]) => ({
          connection_id: name.slice('DOWNBEAT_CONN_'.length).toLowerCase(),
          uri: maskUri(value as string),
          source: 'environment',
        }));
      return [...stored, ...fromEnv].sort((a, b) => a.connection_id.localeCompare(b.connection_id));
    },
    async add(id, uri) {
      await putConnection(db, id, box().seal(uri), now());
    },
    delete(id) {
      return deleteConnection(db, id);
    },
  };
}
