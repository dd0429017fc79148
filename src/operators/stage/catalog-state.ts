import type { SqlSession, Warehouse } from '../../ports/index.ts';

/**
 * A catalog's listing when it was last staged in full (_downbeat_catalog_state): its fingerprint and
 * what was staged of it, so a run that lists the same catalog again compares nothing object by object.
 */
export interface CatalogState {
  readonly fingerprint: string;
  readonly objects: number;
  readonly rows: number;
  readonly rejects: number;
}

export async function catalogState(
  session: SqlSession,
  table: string,
  prefix: string,
): Promise<CatalogState | undefined> {
  const [row] = await session.query<{
    fingerprint: string;
    object_count: number;
    row_count: number;
    reject_count: number;
  }>(
    'SELECT fingerprint, object_count, row_count, reject_count FROM _downbeat_catalog_state WHERE table_name = $table AND prefix = $prefix',
    { table, prefix },
  );
  return (
    row && {
      fingerprint: row.fingerprint,
      objects: row.object_count,
      rows: row.row_count,
      rejects: row.reject_count,
    }
  );
}

export async function recordCatalogState(
  warehouse: Warehouse,
  table: string,
  prefix: string,
  state: CatalogState,
): Promise<void> {
  await warehouse.transaction(async (tx) => {
    await tx.execute('DELETE FROM _downbeat_catalog_state WHERE table_name = $table AND prefix = $prefix', {
      table,
      prefix,
    });
    await tx.execute(
      `INSERT INTO _downbeat_catalog_state (table_name, prefix, fingerprint, object_count, row_count, reject_count)
       VALUES ($table, $prefix, $fingerprint, $objects, $rows, $rejects)`,
      { table, prefix, ...state },
    );
  });
}
