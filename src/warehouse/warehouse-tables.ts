import { quoteName, type SqlSession, type WarehouseTable } from '../ports/index.ts';

/**
 * The explorer's list of tables, the same on every engine (information_schema): the base tables
 * of the default schema of the current database, their columns in order and their exact counts.
 */
export async function listWarehouseTables(session: SqlSession): Promise<WarehouseTable[]> {
  const columns = await session.query<{ table_name: string; name: string; type: string }>(
    `SELECT c.table_name, c.column_name AS name, c.data_type AS type
     FROM information_schema.columns c
     JOIN information_schema.tables t
       ON t.table_catalog = c.table_catalog AND t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE t.table_catalog = current_database() AND t.table_schema = current_schema()
       AND t.table_type = 'BASE TABLE'
     ORDER BY c.table_name, c.ordinal_position`,
  );
  const byTable = new Map<string, { name: string; type: string }[]>();
  for (const column of columns) {
    const list = byTable.get(column.table_name) ?? [];
    list.push({ name: column.name, type: column.type });
    byTable.set(column.table_name, list);
  }
  if (byTable.size === 0) return [];
  const names = [...byTable.keys()];
  // One statement for every count: a warehouse far away answers once.
  const counts = await session.query<{ i: number; n: number | string }>(
    names.map((name, i) => `SELECT ${i} AS i, count(*) AS n FROM ${quoteName(name)}`).join(' UNION ALL '),
  );
  const count = new Map(counts.map((row) => [Number(row.i), Number(row.n)]));
  return names.map((name, i) => ({ name, row_count: count.get(i) ?? 0, columns: byTable.get(name) ?? [] }));
}
