import type { Operator, TaskContext, TaskOutcome } from '../dag/index.ts';
import type { WarehouseDialect } from '../ports/index.ts';
import { runParams } from './run-params.ts';

export interface SqlOptions {
  /** @default 'warehouse' */
  readonly warehouse?: string;
  /** Statements run in order, in one transaction, with the run's parameters (see runParams). */
  readonly statements: readonly string[];
  /** Statements used instead of `statements` on one kind of warehouse (e.g. Redshift's DDL). @default none */
  readonly statementsFor?: Partial<Record<WarehouseDialect, readonly string[]>>;
  /**
   * Hold this warehouse-wide lock while running, so concurrent runs do not race (e.g. two
   * `CREATE TABLE IF NOT EXISTS` at once). @default none
   */
  readonly lock?: string;
}

/** Runs SQL statements in the warehouse, in one transaction. */
export function sql(options: SqlOptions): Operator {
  const connection = options.warehouse ?? 'warehouse';
  return {
    kind: 'sql',
    describe: () => ({ warehouse: connection, statements: options.statements, lock: options.lock ?? null }),
    async execute(context: TaskContext): Promise<TaskOutcome> {
      const warehouse = await context.connections.warehouse(connection);
      const params = runParams(context);
      const statements = options.statementsFor?.[warehouse.dialect] ?? options.statements;
      const run = () =>
        warehouse.transaction(async (tx) => {
          let changed = 0;
          for (const statement of statements) changed += await tx.execute(statement, params);
          return changed;
        });
      const changed = options.lock ? await warehouse.withLock(options.lock, run) : await run();
      return { summary: `${statements.length} statement(s), ${changed} row(s) changed` };
    },
  };
}
