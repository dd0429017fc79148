import type { SqlParams, Warehouse } from '../../ports/index.ts';
import { inList } from './sql-lists.ts';

/** Pins the objects a run reads (_downbeat_run_objects): later tasks of the run select rows of exactly these objects. */
export async function pinRunObjects(
  warehouse: Warehouse,
  runId: string,
  table: string,
  keys: readonly string[],
): Promise<void> {
  const list = inList(keys, 'k');
  const params: SqlParams = { run_id: runId, table, ...list.params };
  await warehouse.transaction(async (tx) => {
    await tx.execute(
      'DELETE FROM _downbeat_run_objects WHERE run_id = $run_id AND table_name = $table',
      params,
    );
    if (keys.length === 0) return;
    await tx.execute(
      `INSERT INTO _downbeat_run_objects (run_id, table_name, object_key, version)
       SELECT CAST($run_id AS VARCHAR(256)), table_name, object_key, version FROM _downbeat_staged_objects
       WHERE table_name = $table AND object_key IN ${list.sql}`,
      params,
    );
  });
}
