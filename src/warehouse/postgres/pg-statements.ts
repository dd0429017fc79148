import type pg from 'pg';
import { WarehouseError, type SqlParams } from '../../ports/index.ts';
import { bindableParams } from '../sql-params.ts';

/** `$name` placeholders → `$1 … $n`, with the values in that order. */
export function positional(sql: string, params?: SqlParams): { text: string; values: unknown[] } {
  const bound = bindableParams(sql, params);
  const names = Object.keys(bound);
  const text = sql.replace(
    /'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\/|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, name: string | undefined) => (name === undefined ? match : `$${names.indexOf(name) + 1}`),
  );
  return { text, values: names.map((n) => bound[n]) };
}

/** Anything that runs a statement: a pool, or a client checked out of one. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

/** Runs one statement with `$name` parameters; a refusal names the statement's start. */
export async function runStatement(
  client: Queryable,
  sql: string,
  params?: SqlParams,
): Promise<pg.QueryResult> {
  const { text, values } = positional(sql, params);
  try {
    return await client.query(text, values);
  } catch (error) {
    const statement = sql.replace(/\s+/g, ' ').trim().slice(0, 160);
    throw new WarehouseError(`${(error as Error).message} (statement: ${statement})`, { cause: error });
  }
}
