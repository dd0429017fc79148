import type { VariableReader } from '../../dag/index.ts';
import type { Db } from '../db/index.ts';

export async function setVariable(db: Db, key: string, value: string, now: number): Promise<void> {
  await db.execute(
    `INSERT INTO variables (key, value, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    [key, value, now],
  );
}

export async function getVariable(db: Db, key: string): Promise<string | undefined> {
  const [row] = await db.query<{ value: string }>('SELECT value FROM variables WHERE key = $1', [key]);
  return row?.value;
}

export async function listVariables(db: Db): Promise<{ key: string; value: string; updated_at: number }[]> {
  return db.query('SELECT key, value, updated_at FROM variables ORDER BY key');
}

export async function deleteVariable(db: Db, key: string): Promise<boolean> {
  return (await db.execute('DELETE FROM variables WHERE key = $1', [key])) > 0;
}

/** Variables as tasks read them: `DOWNBEAT_VAR_<KEY>` first (like AIRFLOW_VAR_), then the metadata DB. */
export function variableReader(
  db: Db | undefined,
  env: Readonly<Record<string, string | undefined>>,
): VariableReader {
  return {
    async get(key) {
      const fromEnv = env[`DOWNBEAT_VAR_${key.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`];
      if (fromEnv !== undefined) return fromEnv;
      return db ? getVariable(db, key) : undefined;
    },
  };
}
