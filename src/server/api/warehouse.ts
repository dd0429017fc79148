/**
 * The API's shapes of the warehouse explorer (read-only), as types.ts has the rest.
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
