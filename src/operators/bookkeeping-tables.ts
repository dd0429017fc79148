import type { Warehouse } from '../ports/index.ts';

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

/** Creates the tables once per warehouse, under a lock: concurrent first runs would race on the DDL. */
export async function ensureBookkeeping(warehouse: Warehouse): Promise<void> {
  if (ready.has(warehouse)) return;
  await warehouse.withLock('downbeat_bookkeeping_ddl', () =>
    warehouse.transaction(async (tx) => {
      for (const statement of DDL) await tx.execute(statement);
    }),
  );
  ready.add(warehouse);
}
