/**
 * The API's shapes of what it reads from the warehouse, read-only (DESIGN §8): the explorer, and a
 * run's rejected source records and its ledger. Part of api/types.ts, which re-exports them.
 */

/** A value of a result: numbers as numbers (their digits as text past 2^53), times as ISO-8601. */
export type WarehouseCell =
  string | number | boolean | null | readonly WarehouseCell[] | { readonly [key: string]: WarehouseCell };

/** GET /warehouse/tables: a table of the default schema, named as a query writes it. */
export interface WarehouseTable {
  readonly name: string;
  readonly row_count: number;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
}

/** POST /warehouse/query; `limit` rows at most (default 1000). */
export interface WarehouseQueryBody {
  readonly sql: string;
  readonly limit?: number;
}

/** POST /warehouse/query and GET /warehouse/tables/{name}/rows. */
export interface WarehouseQueryResult {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly WarehouseCell[])[];
  /** There were more rows than the limit. */
  readonly truncated: boolean;
}

/** GET /warehouse/tables/{name}/rows: a page of a table, in its storage order. */
export interface WarehouseRows extends WarehouseQueryResult {
  readonly name: string;
  readonly offset: number;
  readonly total_entries: number;
}

// ---- A run's rejects and ledger ----------------------------------------------------------------

/**
 * Whose reads a run's rejects and ledger show: `run`, the objects the run itself read; `interval`,
 * a covered interval's: the objects its range run read that the DAG's stages read in this interval;
 * `range`, all its range run read (a staging table no stage of the DAG names any more).
 */
export type ReadScope = 'run' | 'interval' | 'range';

/** A source record that could not be loaded. */
export interface RunReject {
  /** The staging table it was meant for. */
  readonly table: string;
  readonly object_key: string;
  /** Its line in the object; 0 where the warehouse that loaded it does not know (Redshift's COPY). */
  readonly line: number;
  readonly reason: string;
}

/**
 * GET /dags/{dag_id}/dagRuns/{run_id}/rejects?limit&offset: the rejected records of the objects
 * the run read, by table, object and line; `total_entries` counts those kept.
 */
export interface RunRejects {
  readonly items: readonly RunReject[];
  readonly total_entries: number;
  readonly scope: ReadScope;
  /** Records rejected, as staging counted them: more than those kept past 1000 in one object. */
  readonly rejected: number;
}

/** One staging table in a run's ledger. */
export interface LedgerTable {
  readonly table: string;
  readonly scope: ReadScope;
  /** Objects the run read whose staged version is still the one it read. */
  readonly objects: number;
  /** Records read from them (a line each in NDJSON): rows staged + rejected, as staging counted them. */
  readonly lines_read: number;
  /** Rows of those objects the staging table holds, counted now. */
  readonly rows_staged: number;
  readonly rejected: number;
  /** Objects staged again at another version since the run: not counted here. */
  readonly restaged: number;
  /** lines_read = rows_staged + rejected. */
  readonly balanced: boolean;
}

/**
 * A reconciliation's latest result: `actual` measured by its query, `expected` by its second one
 * (say, the source's events in the interval against the fact rows loaded for it).
 */
export interface Reconciliation {
  readonly task_id: string;
  readonly try_number: number;
  readonly name: string;
  readonly expected: string;
  readonly actual: string;
  readonly passed: boolean;
  /** For a run a range run covered: measured over the whole range, not this interval alone. */
  readonly for_range: boolean;
}

/**
 * GET /dags/{dag_id}/dagRuns/{run_id}/ledger: per staging table, lines read = rows staged +
 * rejected; and the run's reconciliations, the data-quality checks whose expected value is
 * measured too (checks.reconcile), with their latest results.
 */
export interface RunLedger {
  readonly tables: readonly LedgerTable[];
  readonly reconciliations: readonly Reconciliation[];
  /** Every table balanced and every reconciliation passed; null when there is neither. */
  readonly passed: boolean | null;
}
