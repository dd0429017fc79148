import type { DownbeatConfig } from '../config/index.ts';
import { migrate, openDb, type Db } from '../store/db/index.ts';

/** The metadata DB the configuration names, migrated (as every process does at start). */
export async function openMetadata(config: DownbeatConfig): Promise<Db> {
  const db = openDb(config.databaseUrl, config.home);
  try {
    await migrate(db);
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}
