import type pg from 'pg';
import {
  QueryRefusedError,
  QueryTimeoutError,
  WarehouseError,
  WarehouseUnavailableError,
  type ReadOnlyQueryOptions,
  type ReadOnlyResult,
} from '../../ports/index.ts';
import { jsonCell } from '../json-cells.ts';

export interface PostgresExplorerChecks {
  /** Drop a superuser's rights for the query (PostgreSQL's pg_read_all_data role). */
  readonly lowerPrivileges: boolean;
  /** Check the tables the plan reads (EXPLAIN … FORMAT JSON, which Redshift lacks). */
  readonly checkPlan: boolean;
}

/**
 * The explorer's query on PostgreSQL (and Redshift), decided by the server itself: the text goes
 * inside `SELECT * FROM (…) LIMIT $1`, so PostgreSQL's parser accepts one query and nothing else
 * (no second statement, no COPY, no DDL, no data-modifying WITH), sent with the extended protocol
 * (one statement per message); it runs in a READ ONLY transaction under a statement_timeout, on
 * a connection that is closed afterwards, so nothing it could set (a setting, an advisory lock)
 * outlives it. A superuser's rights are dropped for it (reading server files, settings), and its
 * plan may read only the warehouse's own tables, no table function.
 */
export async function postgresReadOnlyQuery(
  pool: pg.Pool,
  location: string,
  sql: string,
  options: ReadOnlyQueryOptions,
  checks: PostgresExplorerChecks,
): Promise<ReadOnlyResult> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw new WarehouseUnavailableError(`${location} does not answer: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let broken: Error | undefined;
  const onError = (error: Error) => (broken = error);
  client.on('error', onError);
  // A final `;` ends the one statement; inside the parentheses it would not parse.
  const wrapped = `SELECT * FROM (\n${sql.replace(/;\s*$/, '')}\n) AS explorer_query LIMIT $1`;
  const values = [options.limit + 1];
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SET statement_timeout = ${Math.max(1, Math.round(options.timeoutMs))}`);
    if (checks.lowerPrivileges) await lowerPrivileges(client);
    if (checks.checkPlan) await checkPlan(client, wrapped, values);
    const result = await client.query<unknown[]>({ text: wrapped, values, rowMode: 'array' });
    return {
      columns: result.fields.map((field) => field.name),
      rows: result.rows.slice(0, options.limit).map((row) => row.map(jsonCell)),
      truncated: result.rows.length > options.limit,
    };
  } catch (error) {
    throw explained(error, options.timeoutMs);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.off('error', onError);
    client.release(broken ?? true);
  }
}

async function lowerPrivileges(client: pg.PoolClient): Promise<void> {
  const { rows } = await client.query<{ superuser: boolean; role: boolean }>(
    `SELECT current_setting('is_superuser') = 'on' AS superuser,
       EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pg_read_all_data') AS role`,
  );
  const [me] = rows;
  if (!me?.superuser) return;
  if (!me.role)
    throw new QueryRefusedError(
      "the warehouse's user is a superuser, and this PostgreSQL has no pg_read_all_data role to query as",
    );
  await client.query('SET LOCAL ROLE pg_read_all_data');
}

async function checkPlan(client: pg.PoolClient, wrapped: string, values: unknown[]): Promise<void> {
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_catalog = current_database() AND table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  const { rows: schema } = await client.query<{ name: string }>('SELECT current_schema() AS name');
  const own = new Set(tables.map((t) => t.name));
  const { rows } = await client.query<{ 'QUERY PLAN': unknown }>({
    text: `EXPLAIN (VERBOSE, FORMAT JSON) ${wrapped}`,
    values,
  });
  const refused = refusedInPlan(rows[0]?.['QUERY PLAN'], own, schema[0]?.name ?? 'public');
  if (refused) throw new QueryRefusedError(refused);
}

/** The first relation or table function of a plan that is not one of the warehouse's tables. */
function refusedInPlan(plan: unknown, tables: ReadonlySet<string>, schema: string): string | undefined {
  if (Array.isArray(plan)) {
    for (const item of plan) {
      const refused = refusedInPlan(item, tables, schema);
      if (refused) return refused;
    }
    return undefined;
  }
  if (typeof plan !== 'object' || plan === null) return undefined;
  const node = plan as Record<string, unknown>;
  if (typeof node['Function Name'] === 'string')
    return `${node['Function Name']} is not allowed: the explorer reads only the warehouse's tables`;
  const relation = node['Relation Name'];
  if (typeof relation === 'string' && (node.Schema !== schema || !tables.has(relation)))
    return `"${String(node.Schema)}.${relation}" is not one of the warehouse's tables: the explorer reads only those`;
  for (const child of Object.values(node)) {
    const refused = refusedInPlan(child, tables, schema);
    if (refused) return refused;
  }
  return undefined;
}

/** PostgreSQL's refusal, saying why; a query that merely fails stays a WarehouseError. */
function explained(error: unknown, timeoutMs: number): Error {
  if (error instanceof QueryRefusedError || error instanceof WarehouseUnavailableError) return error;
  const { code, message } = error as { code?: string; message?: string };
  const text = message ?? String(error);
  if (code === '57014') return new QueryTimeoutError(timeoutMs, { cause: error });
  if (code === '42601') {
    // The parser names the token it stopped at: a `;` means a second statement followed.
    return new QueryRefusedError(
      text.endsWith('at or near ";"')
        ? 'only one statement may run'
        : `only one SELECT may run: PostgreSQL's parser refused it as a query (${text})`,
    );
  }
  // Read-only transaction, data-modifying WITH, a right the query's role lacks.
  if (code === '25006' || code === '0A000' || code === '42501') return new QueryRefusedError(text);
  // Not an SQLSTATE: the connection failed (ECONNRESET, a server gone), not the query.
  if (!code || !/^[0-9A-Z]{5}$/.test(code)) return new WarehouseUnavailableError(text, { cause: error });
  return new WarehouseError(text, { cause: error });
}
