/**
 * The staging manifest: which version of each source object a staging table holds, with its row
 * and reject counts (_downbeat_staged_objects), and the rejected records themselves
 * (_downbeat_rejects). Both are written in the transaction that stages the rows.
 */
import type { SqlSession } from '../../ports/index.ts';
import { inList, underPrefix } from './sql-lists.ts';

/** Rejects kept per object in _downbeat_rejects; all are counted. */
export const REJECTS_KEPT_PER_OBJECT = 1000;

export interface StagedObject {
  readonly key: string;
  readonly version: string;
  readonly rows: number;
  readonly rejects: number;
}

export interface Reject {
  readonly key: string;
  readonly line: number;
  readonly reason: string;
}

/** The staged version of each object of a table (all of them, or those named). */
export async function stagedObjects(
  session: SqlSession,
  table: string,
  keys?: readonly string[],
): Promise<Map<string, StagedObject>> {
  if (keys?.length === 0) return new Map();
  const filter = keys ? inList(keys, 'k') : undefined;
  const rows = await session.query<{
    object_key: string;
    version: string;
    row_count: number;
    reject_count: number;
  }>(
    `SELECT object_key, version, row_count, reject_count FROM _downbeat_staged_objects
     WHERE table_name = $table${filter ? ` AND object_key IN ${filter.sql}` : ''}`,
    { table, ...filter?.params },
  );
  return new Map(
    rows.map((r) => [
      r.object_key,
      { key: r.object_key, version: r.version, rows: r.row_count, rejects: r.reject_count },
    ]),
  );
}

/**
 * Deletes what a table holds of these objects: rows, rejects and manifest entries. Only objects in
 * the manifest can have rows (both are written in one transaction), so an object staged for the
 * first time costs no DELETE: without an index on `_source_key`, that DELETE scans the whole
 * staging table, and grows with every day staged (see BENCHMARKS.md).
 */
export async function forgetObjects(
  tx: SqlSession,
  table: string,
  stagingTable: string,
  keys: readonly string[],
): Promise<void> {
  if (keys.length === 0) return;
  const asked = inList(keys, 'k');
  const known = await tx.query<{ object_key: string }>(
    `SELECT object_key FROM _downbeat_staged_objects WHERE table_name = $table AND object_key IN ${asked.sql}`,
    { table, ...asked.params },
  );
  if (known.length === 0) return;
  const list = inList(
    known.map((r) => r.object_key),
    'k',
  );
  await tx.execute(`DELETE FROM ${stagingTable} WHERE _source_key IN ${list.sql}`, list.params);
  await tx.execute(`DELETE FROM _downbeat_rejects WHERE table_name = $table AND object_key IN ${list.sql}`, {
    table,
    ...list.params,
  });
  await tx.execute(
    `DELETE FROM _downbeat_staged_objects WHERE table_name = $table AND object_key IN ${list.sql}`,
    {
      table,
      ...list.params,
    },
  );
}

/** Records the objects just staged, in the transaction that staged their rows. */
export async function recordObjects(
  tx: SqlSession,
  table: string,
  objects: readonly StagedObject[],
  rejects: readonly Reject[],
): Promise<void> {
  const versions = new Map(objects.map((o) => [o.key, o.version]));
  const now = new Date();
  await tx.bulkInsert(
    '_downbeat_staged_objects',
    ['table_name', 'object_key', 'version', 'row_count', 'reject_count', 'staged_at'],
    objects.map((o) => [table, o.key, o.version, o.rows, o.rejects, now]),
  );
  await tx.bulkInsert(
    '_downbeat_rejects',
    ['table_name', 'object_key', 'version', 'line', 'reason'],
    rejects.map((r) => [table, r.key, versions.get(r.key) ?? '', r.line, r.reason]),
  );
}

/** The first rejects of these objects (all objects of the table when none are named), in key and line order. */
export async function firstRejects(
  session: SqlSession,
  table: string,
  keys: readonly string[] | undefined,
  limit: number,
): Promise<Reject[]> {
  if (keys?.length === 0) return [];
  const filter = keys ? inList(keys, 'k') : undefined;
  const rows = await session.query<{ object_key: string; line: number; reason: string }>(
    `SELECT object_key, line, reason FROM _downbeat_rejects WHERE table_name = $table
     ${filter ? `AND object_key IN ${filter.sql}` : ''} ORDER BY object_key, line LIMIT ${Math.max(0, Math.floor(limit))}`,
    { table, ...filter?.params },
  );
  return rows.map((r) => ({ key: r.object_key, line: r.line, reason: r.reason }));
}

/** How many objects under a prefix a table has staged, with their rows and rejects. */
export async function stagedTotals(
  session: SqlSession,
  table: string,
  prefix: string,
): Promise<{ objects: number; rows: number; rejects: number }> {
  // PostgreSQL returns COUNT and SUM of bigints as text.
  const [row] = await session.query<{
    objects: number | string;
    row_count: number | string | null;
    reject_count: number | string | null;
  }>(
    `SELECT COUNT(*) AS objects, SUM(row_count) AS row_count, SUM(reject_count) AS reject_count
     FROM _downbeat_staged_objects WHERE table_name = $table AND ${underPrefix(prefix)}`,
    { table, prefix },
  );
  return {
    objects: Number(row?.objects ?? 0),
    rows: Number(row?.row_count ?? 0),
    rejects: Number(row?.reject_count ?? 0),
  };
}

/** The keys under a prefix a table has staged, a page at a time, in key order. */
export async function* stagedKeys(
  session: SqlSession,
  table: string,
  prefix: string,
  pageSize: number,
): AsyncIterable<string[]> {
  let after: string | undefined;
  for (;;) {
    const rows = await session.query<{ object_key: string }>(
      `SELECT object_key FROM _downbeat_staged_objects WHERE table_name = $table AND ${underPrefix(prefix)}` +
        `${after === undefined ? '' : ' AND object_key > $after'} ORDER BY object_key LIMIT ${pageSize}`,
      { table, prefix, ...(after === undefined ? {} : { after }) },
    );
    if (rows.length === 0) return;
    yield rows.map((r) => r.object_key);
    after = rows.at(-1)?.object_key;
  }
}
