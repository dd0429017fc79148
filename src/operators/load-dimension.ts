import type { Operator, TaskContext, TaskOutcome } from '../dag/index.ts';
import { quoteIdentifier, type SqlParams, type SqlResultValue, type SqlSession } from '../ports/index.ts';
import { ensureBookkeeping } from './bookkeeping-tables.ts';
import { recordInputVersion } from './load-state.ts';
import { runParams } from './run-params.ts';

export interface LoadDimensionOptions {
  /** @default 'warehouse' */
  readonly warehouse?: string;
  readonly table: string;
  /** The dimension's columns, filled from the same-named columns of `select`. */
  readonly columns: readonly string[];
  /** The key columns (a subset of `columns`). */
  readonly key: readonly string[];
  /** A SELECT of the batch; it may use the run's parameters (see runParams) and return extra columns for `orderBy`. */
  readonly select: string;
  /**
   * `upsert`: insert new keys, update changed ones. `truncate_insert`: empty the table, then insert
   * (the template's default). `append`: insert only. @default 'upsert'
   */
  readonly mode?: 'upsert' | 'truncate_insert' | 'append';
  /** Which row of the batch wins when a key repeats: the first in this SQL order. Required for upsert. */
  readonly orderBy?: string;
  /**
   * A condition on `source` (the batch row) and `target` (the stored row) that must hold for an
   * update, e.g. `source.level_at > target.level_at`, so an older run never overwrites newer data.
   * @default always (when any value differs)
   */
  readonly updateWhen?: string;
  /**
   * A SELECT of one value that changes whenever the batch may change (e.g. the fingerprint of the
   * staged catalog). When it and the table's row count are as after the last load, the load is
   * skipped: re-merging an unchanged catalog every hour is waste. @default always load
   */
  readonly inputVersion?: string;
  /**
   * A condition on `target` that every stored row a batch row could match satisfies, so the merge
   * reads only those: e.g. the run's interval for a table keyed by time. @default the whole table
   */
  readonly targetFilter?: string;
}

/**
 * Loads a dimension table. An upsert first reduces the batch to one row per key (deterministically,
 * by `orderBy`), then merges it: rows whose values did not change are not written.
 */
export function loadDimension(options: LoadDimensionOptions): Operator {
  const connection = options.warehouse ?? 'warehouse';
  const mode = options.mode ?? 'upsert';
  const table = quoteIdentifier(options.table);
  const columns = options.columns.map(quoteIdentifier);
  const keys = options.key.map(quoteIdentifier);
  const others = columns.filter((c) => !keys.includes(c));
  if (keys.length === 0 || !keys.every((k) => columns.includes(k))) {
    throw new Error(`loadDimension(${options.table}): key must name some of its columns`);
  }
  if (mode !== 'append' && !options.orderBy) {
    throw new Error(
      `loadDimension(${options.table}): mode ${mode} needs orderBy to choose between repeated keys`,
    );
  }
  const reduced =
    `SELECT ${columns.join(', ')} FROM (SELECT batch.*, ROW_NUMBER() OVER (PARTITION BY ${keys.join(', ')} ` +
    `ORDER BY ${options.orderBy ?? keys.join(', ')}) AS downbeat_rank FROM (${options.select}) AS batch) AS ranked ` +
    'WHERE downbeat_rank = 1';
  const changed = others.map((c) => `source.${c} IS DISTINCT FROM target.${c}`).join(' OR ') || 'FALSE';
  const matches = keys.map((k) => `target.${k} = source.${k}`).join(' AND ');
  // Redshift's MERGE takes a table as its source (no subquery), only key equality in ON and no
  // condition on WHEN MATCHED, and Redshift has no IS DISTINCT FROM: the batch is reduced and cut
  // down to the rows to write (new keys, changed rows that updateWhen allows) into a temporary
  // table first, then merged, in the same transaction.
  const batchTable = quoteIdentifier(`downbeat_batch_${options.table}`.slice(0, 63));
  const distinct = (c: string) =>
    `(source.${c} <> target.${c} OR (source.${c} IS NULL) <> (target.${c} IS NULL))`;
  const redshiftUpsert = [
    `CREATE TEMP TABLE ${batchTable} (LIKE ${table})`,
    `INSERT INTO ${batchTable} (${columns.join(', ')}) SELECT ${columns.map((c) => `source.${c}`).join(', ')} ` +
      `FROM (${reduced}) AS source LEFT JOIN ${table} AS target ON ${matches}` +
      (options.targetFilter ? ` AND (${options.targetFilter})` : '') +
      ` WHERE target.${keys[0] ?? ''} IS NULL` +
      (others.length > 0
        ? ` OR ((${others.map(distinct).join(' OR ')})${options.updateWhen ? ` AND (${options.updateWhen})` : ''})`
        : ''),
    `MERGE INTO ${table} USING ${batchTable} AS source ON ` +
      keys.map((k) => `${table}.${k} = source.${k}`).join(' AND ') +
      ' WHEN MATCHED THEN UPDATE SET ' +
      (others.length > 0 ? others : keys).map((c) => `${c} = source.${c}`).join(', ') +
      ` WHEN NOT MATCHED THEN INSERT (${columns.join(', ')}) VALUES (${columns.map((c) => `source.${c}`).join(', ')})`,
    `DROP TABLE ${batchTable}`,
  ];
  const statements: Record<typeof mode, string[]> = {
    upsert: [
      `MERGE INTO ${table} AS target USING (${reduced}) AS source ON ` +
        keys.map((k) => `target.${k} = source.${k}`).join(' AND ') +
        (options.targetFilter ? ` AND (${options.targetFilter})` : '') +
        (others.length > 0
          ? ` WHEN MATCHED AND (${changed})${options.updateWhen ? ` AND (${options.updateWhen})` : ''} THEN UPDATE SET ` +
            others.map((c) => `${c} = source.${c}`).join(', ')
          : '') +
        ` WHEN NOT MATCHED THEN INSERT (${columns.join(', ')}) VALUES (${columns.map((c) => `source.${c}`).join(', ')})`,
    ],
    truncate_insert: [`DELETE FROM ${table}`, `INSERT INTO ${table} (${columns.join(', ')}) ${reduced}`],
    append: [
      `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM (${options.select}) AS batch`,
    ],
  };

  /**
   * The input's version and the table's row count (a table emptied by hand is loaded again), and
   * the version the table was last loaded from: one statement, as this runs every hour.
   */
  const versions = async (session: SqlSession, sql: string, params: SqlParams) => {
    const [row] = await session.query<{
      input: SqlResultValue;
      size: SqlResultValue;
      loaded: SqlResultValue;
    }>(
      `SELECT (${sql}) AS input, (SELECT COUNT(*) FROM ${table}) AS size,
         (SELECT input_version FROM _downbeat_load_state WHERE table_name = $downbeat_table) AS loaded`,
      { ...params, downbeat_table: options.table },
    );
    return {
      current: `${String(row?.input ?? null)}:${String(row?.size ?? 0)}`,
      loaded: row?.loaded ?? null,
    };
  };

  return {
    kind: 'load_dimension',
    describe: () => ({
      warehouse: connection,
      table: options.table,
      mode,
      key: options.key,
      select: options.select,
    }),
    async execute(context: TaskContext): Promise<TaskOutcome> {
      const warehouse = await context.connections.warehouse(connection);
      const params = runParams(context);
      if (options.inputVersion) {
        await ensureBookkeeping(warehouse);
        // Read outside the write transaction: an unchanged input costs no writer's turn.
        const { current, loaded } = await versions(warehouse, options.inputVersion, params);
        if (current === loaded) {
          return {
            rowsWritten: { [options.table]: 0 },
            summary: `${options.table} is up to date: its input has not changed since the last load`,
          };
        }
      }
      const plan =
        mode === 'upsert' && warehouse.dialect === 'redshift'
          ? { statements: redshiftUpsert, counted: 2 }
          : { statements: statements[mode], counted: statements[mode].length - 1 };
      const written = await warehouse.transaction(async (tx) => {
        let count = 0;
        for (const [i, statement] of plan.statements.entries()) {
          const changed = await tx.execute(statement, params);
          if (i === plan.counted) count = changed;
        }
        if (options.inputVersion)
          await recordInputVersion(
            tx,
            options.table,
            (await versions(tx, options.inputVersion, params)).current,
          );
        return count;
      });
      return {
        rowsWritten: { [options.table]: written },
        summary: `${written} row(s) written to ${options.table} (${mode})`,
      };
    },
  };
}
