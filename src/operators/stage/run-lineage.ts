import type { Warehouse } from '../../ports/index.ts';
import { inList } from './sql-lists.ts';

/** Per run id, the objects (key → version) it was pinned to in one staging table. */
export type PinnedObjects = Map<string, Map<string, string>>;

/**
 * The versions the runs `runIds` read of `table`'s objects (_downbeat_run_objects): the lineage a
 * sweep compares with the source. A warehouse no stage has written has none.
 */
export async function pinnedObjects(
  warehouse: Pick<Warehouse, 'query' | 'tableColumns'>,
  table: string,
  runIds: readonly string[],
): Promise<PinnedObjects> {
  const pinned: PinnedObjects = new Map();
  if (runIds.length === 0 || (await warehouse.tableColumns('_downbeat_run_objects')).length === 0)
    return pinned;
  const list = inList(runIds, 'r');
  const rows = await warehouse.query<{ run_id: string; object_key: string; version: string }>(
    `SELECT run_id, object_key, version FROM _downbeat_run_objects
     WHERE table_name = $table AND run_id IN ${list.sql}`,
    { table, ...list.params },
  );
  for (const row of rows) {
    const objects = pinned.get(row.run_id) ?? new Map<string, string>();
    objects.set(row.object_key, row.version);
    pinned.set(row.run_id, objects);
  }
  return pinned;
}
