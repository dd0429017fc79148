import type { SqlParams, SqlSession, Warehouse } from '../ports/index.ts';

/**
 * The operators' bookkeeping tables, beside the pipeline's own:
 * - _downbeat_staged_objects: which version of each source object a staging table holds, with its
 *   row and reject counts; written in the same transaction as the rows.
 * - _downbeat_rejects: every record that could not be loaded, with object, line and reason.
 * - _downbeat_run_objects: the objects (and versions) a run's interval reads, so that later tasks
 *   of the run select exactly that run's rows.
 * - _downbeat_catalog_state: a fingerprint of a catalog's listing when it was last staged in full,
 *   so a run that finds the same listing compares nothing object by object.
 * - _downbeat_load_state: the version of its input a table was last loaded from, so a load whose
 *   input has not changed since is skipped.
 */
const DDL = [
  `CREATE TABLE IF NOT EXISTS _downbeat_staged_objects (
     table_name VARCHAR(128) NOT NULL, object_key VARCHAR(1024) NOT NULL, version VARCHAR(256) NOT NULL,
     row_count BIGINT NOT NULL, reject_count BIGINT NOT NULL, staged_at TIMESTAMP NOT NULL,
     PRIMARY KEY (table_name, object_key))`,
  `CREATE TABLE IF NOT EXISTS _downbeat_rejects (
     table_name VARCHAR(128) NOT NULL, object_key VARCHAR(1024) NOT NULL, version VARCHAR(256) NOT NULL,
     line BIGINT NOT NULL, reason VARCHAR(1024) NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS _downbeat_run_objects (
     run_id VARCHAR(256) NOT NULL, table_name VARCHAR(128) NOT NULL, object_key VARCHAR(1024) NOT NULL,
     version VARCHAR(256) NOT NULL, PRIMARY KEY (run_id, table_name, object_key))`,
  `CREATE TABLE IF NOT EXISTS _downbeat_catalog_state (
     table_name VARCHAR(128) NOT NULL, prefix VARCHAR(1024) NOT NULL, fingerprint VARCHAR(64) NOT NULL,
     object_count BIGINT NOT NULL, row_count BIGINT NOT NULL, reject_count BIGINT NOT NULL,
     PRIMARY KEY (table_name, prefix))`,
  `CREATE TABLE IF NOT EXISTS _downbeat_load_state (
     table_name VARCHAR(128) NOT NULL PRIMARY KEY, input_version VARCHAR(1024) NOT NULL)`,
];

const ready = new WeakSet<Warehouse>();

export async function ensureBookkeeping(warehouse: Warehouse): Promise<void> {
  if (ready.has(warehouse)) return;
  await warehouse.withLock('downbeat_bookkeeping_ddl', () =>
    warehouse.transaction(async (tx) => {
      for (const statement of DDL) await tx.execute(statement);
    }),
  );
  ready.add(warehouse);
}

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

/** `IN (…)` with one parameter per value, and those parameters. */
function inList(values: readonly string[], prefix: string): { sql: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  values.forEach((value, i) => (params[`${prefix}${i}`] = value));
  return { sql: `(${values.map((_, i) => `$${prefix}${i}`).join(', ')})`, params };
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
 * staging table (half a second at a million rows).
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

/** Pins the objects a run reads: later tasks of the run select rows of exactly these objects. */
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

/** SQL that holds for the object keys under a prefix (LEFT counts characters, as here). */
function underPrefix(prefix: string): string {
  return `LEFT(object_key, ${[...prefix].length}) = $prefix`;
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

/** Records, in the load's transaction, the input version a table was loaded from. */
export async function recordInputVersion(tx: SqlSession, table: string, version: string): Promise<void> {
  await tx.execute('DELETE FROM _downbeat_load_state WHERE table_name = $table', { table });
  await tx.execute('INSERT INTO _downbeat_load_state (table_name, input_version) VALUES ($table, $version)', {
    table,
    version,
  });
}
