import type { SqlSession } from '../ports/index.ts';

// _downbeat_load_state: a load whose input has not changed since is skipped (loadDimension reads
// the recorded version in its own query).

/** Records, in the load's transaction, the input version a table was loaded from. */
export async function recordInputVersion(tx: SqlSession, table: string, version: string): Promise<void> {
  await tx.execute('DELETE FROM _downbeat_load_state WHERE table_name = $table', { table });
  await tx.execute('INSERT INTO _downbeat_load_state (table_name, input_version) VALUES ($table, $version)', {
    table,
    version,
  });
}
