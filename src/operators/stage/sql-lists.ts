// SQL fragments the staging bookkeeping's queries share: a list of keys, the keys under a prefix.

/** `IN (…)` with one parameter per value, and those parameters. */
export function inList(
  values: readonly string[],
  prefix: string,
): { sql: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  values.forEach((value, i) => (params[`${prefix}${i}`] = value));
  return { sql: `(${values.map((_, i) => `$${prefix}${i}`).join(', ')})`, params };
}

/** SQL that holds for the object keys under a prefix (LEFT counts characters, as here). */
export function underPrefix(prefix: string): string {
  return `LEFT(object_key, ${[...prefix].length}) = $prefix`;
}
