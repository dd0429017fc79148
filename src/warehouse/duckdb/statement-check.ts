/**
 * The explorer's rule on DuckDB, decided on the statement as DuckDB's own parser read it
 * (`json_serialize_sql`, whose JSON is the parsed tree): a query may name only the warehouse's
 * tables (and the CTEs in scope where it names them), no table function at all (read_json,
 * read_csv, glob, query_table, …: they reach files, the network or other SQL), and none of the
 * scalar functions below. A name that is neither a table nor a CTE is refused too: DuckDB would
 * read `FROM 'file.csv'` as a file.
 */

/**
 * Scalar functions refused: they read the process's environment or settings, change the
 * session's state, run other SQL, or write. The rest of DuckDB's scalar functions compute on
 * their arguments alone (a deny list, not an allow list: DuckDB has some 860 functions).
 */
const REFUSED_FUNCTIONS = new Set([
  'getenv',
  'current_setting',
  'getvariable',
  'setseed',
  'nextval',
  'currval',
  'json_serialize_plan',
  'json_execute_serialized_sql',
  'write_log',
  'sleep_ms',
  'pg_sleep',
]);

export interface WarehouseNames {
  /** The warehouse's tables, lower case (DuckDB's names are case-insensitive). */
  readonly tables: ReadonlySet<string>;
  /** The database a qualified name may name (the file's own), lower case. */
  readonly catalog: string;
  /** The default schema, lower case. */
  readonly schema: string;
}

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Why `parsed` (json_serialize_sql's answer for one statement) may not run, or undefined when it
 * may. DuckDB serialises SELECTs only: its error for anything else is the refusal. `kind` (the
 * statement's first word) only names what was refused.
 */
export function refusal(parsed: unknown, names: WarehouseNames, kind: string): string | undefined {
  if (!isNode(parsed)) return 'DuckDB could not parse it';
  if (parsed.error === true) {
    const message = typeof parsed.error_message === 'string' ? parsed.error_message : 'it does not parse';
    return /Only SELECT statements/i.test(message)
      ? `only a SELECT may run, and this is ${kind.toUpperCase()}: the explorer only reads the warehouse's tables`
      : message;
  }
  const statements = Array.isArray(parsed.statements) ? parsed.statements : [];
  if (statements.length !== 1) return 'only one statement may run';
  return walk(statements[0], new Set(), names);
}

/** The first thing refused in a subtree; `ctes`: the CTE names in scope there. */
function walk(value: unknown, ctes: ReadonlySet<string>, names: WarehouseNames): string | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const refused = walk(item, ctes, names);
      if (refused) return refused;
    }
    return undefined;
  }
  if (!isNode(value)) return undefined;
  let scope = ctes;
  // A recursive CTE names itself in its own body.
  if (value.type === 'RECURSIVE_CTE_NODE' && typeof value.cte_name === 'string')
    scope = new Set([...scope, value.cte_name.toLowerCase()]);
  const own = cteEntries(value);
  if (own.length > 0) {
    // Each CTE sees the ones before it; the query sees them all.
    let before = scope;
    for (const [name, body] of own) {
      const refused = walk(body, before, names);
      if (refused) return refused;
      before = new Set([...before, name]);
    }
    scope = before;
  }
  const refused = refusedHere(value, scope, names);
  if (refused) return refused;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'cte_map') continue;
    const below = walk(child, scope, names);
    if (below) return below;
  }
  return undefined;
}

function cteEntries(node: Node): [string, unknown][] {
  const map = isNode(node.cte_map) && Array.isArray(node.cte_map.map) ? node.cte_map.map : [];
  return map.filter(isNode).map((entry) => [String(entry.key).toLowerCase(), entry.value]);
}

function refusedHere(node: Node, ctes: ReadonlySet<string>, names: WarehouseNames): string | undefined {
  if (node.type === 'TABLE_FUNCTION') {
    const name = isNode(node.function) ? node.function.function_name : undefined;
    const fn = typeof name === 'string' ? name : 'a table function';
    return `${fn} is not allowed: the explorer reads only the warehouse's tables`;
  }
  if (node.type === 'BASE_TABLE') return refusedTable(node, ctes, names);
  if (node.type === 'SHOW_REF')
    return 'DESCRIBE and SHOW are not allowed: the explorer lists the tables itself';
  if ((node.class === 'FUNCTION' || node.class === 'WINDOW') && typeof node.function_name === 'string') {
    const fn = node.function_name.toLowerCase();
    if (REFUSED_FUNCTIONS.has(fn))
      return `${fn}() is not allowed: it reaches outside the warehouse's tables or changes the session`;
  }
  return undefined;
}

function refusedTable(node: Node, ctes: ReadonlySet<string>, names: WarehouseNames): string | undefined {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const table = text(node.table_name);
  const schema = text(node.schema_name).toLowerCase();
  const catalog = text(node.catalog_name).toLowerCase();
  const lower = table.toLowerCase();
  if (schema === '' && catalog === '' && ctes.has(lower)) return undefined;
  const ownSchema = schema === '' || schema === names.schema;
  const ownCatalog = catalog === '' || catalog === names.catalog;
  if (ownSchema && ownCatalog && names.tables.has(lower)) return undefined;
  const written = [catalog, schema, table].filter((part) => part !== '').join('.');
  return `"${written}" is not one of the warehouse's tables: the explorer reads only those`;
}
