import type { SqlParams, SqlValue } from '../ports/index.ts';
import { DownbeatError } from '../errors/index.ts';

/** `$name` placeholders outside quoted text and comments, in order of first appearance. */
export function parameterNames(sql: string): string[] {
  const names: string[] = [];
  const pattern = /'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\/|\$([A-Za-z_][A-Za-z0-9_]*)/g;
  for (const match of sql.matchAll(pattern)) {
    const name = match[1];
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

/** The values for the placeholders a statement uses; a missing one is an error naming it. */
export function bindableParams(sql: string, params: SqlParams = {}): Record<string, SqlValue> {
  const bound: Record<string, SqlValue> = {};
  for (const name of parameterNames(sql)) {
    if (!(name in params)) {
      throw new DownbeatError(
        'missing_parameter',
        `SQL parameter $${name} has no value (given: ${Object.keys(params).join(', ') || 'none'})`,
      );
    }
    bound[name] = params[name] ?? null;
  }
  return bound;
}
