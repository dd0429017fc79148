import type { JsonCell } from '../ports/index.ts';

/**
 * A value read by a driver as JSON carries it: integers as numbers while they are exact (past
 * 2^53, their digits as text), times as ISO-8601, bytes as hex, lists and structs as such.
 */
export function jsonCell(value: unknown): JsonCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : String(value);
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  if (Array.isArray(value)) return value.map(jsonCell);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), jsonCell(v)]));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonCell(v)]));
  }
  return ''; // a symbol or a function: no driver reads one
}
