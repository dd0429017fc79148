import type { BulkRow } from '../../ports/index.ts';

/**
 * How a staging column is read from a source record. Messy but valid values load (a number where
 * text is expected is that text); values that cannot be what the column holds reject the record.
 */
export type ColumnType =
  /** Text; a number or boolean becomes its JSON text (an artist named 112 is '112'). */
  | 'text'
  /** A whole number in 32 bits; a string of digits is read as the number. */
  | 'integer'
  /** A whole number in 64 bits (exact up to 2^53, as JSON numbers are). */
  | 'bigint'
  /** A floating-point number; a numeric string is read as the number. */
  | 'double'
  /** Epoch milliseconds (a number) read as a timestamp. */
  | 'epoch_ms_timestamp';

export interface StagingColumn {
  /** The warehouse column. */
  readonly name: string;
  /** The record's field. @default name */
  readonly field?: string;
  readonly type: ColumnType;
  /** `""` is null (Sparkify's userId when logged out). @default false */
  readonly emptyAsNull?: boolean;
  /** A missing or null value rejects the record. @default false */
  readonly required?: boolean;
}

export type Coerced =
  | { readonly row: BulkRow; readonly error?: undefined }
  | { readonly row?: undefined; readonly error: string };

const INTEGER_TEXT = /^-?\d+$/;
const NUMBER_TEXT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** Reads one record into a row of the columns' values, or says why it cannot. */
export function coerceRecord(record: Record<string, unknown>, columns: readonly StagingColumn[]): Coerced {
  const row = new Array<string | number | Date | null>(columns.length);
  for (let i = 0; i < columns.length; i += 1) {
    const column = columns[i] as StagingColumn;
    const field = column.field ?? column.name;
    let value = record[field];
    if (column.emptyAsNull && value === '') value = null;
    if (value === undefined || value === null) {
      if (column.required) return { error: `${field}: missing` };
      row[i] = null;
      continue;
    }
    const coerced = coerceValue(value, column.type);
    if (typeof coerced === 'object' && coerced !== null && 'reason' in coerced) {
      return { error: `${field}: ${coerced.reason}, got ${describe(value)}` };
    }
    row[i] = coerced;
  }
  return { row };
}

function coerceValue(value: unknown, type: ColumnType): string | number | Date | { reason: string } {
  switch (type) {
    case 'text':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return { reason: 'expected text' };
    case 'integer':
    case 'bigint': {
      const n = typeof value === 'string' && INTEGER_TEXT.test(value.trim()) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n)) return { reason: 'expected a whole number' };
      if (type === 'integer' && (n > 2_147_483_647 || n < -2_147_483_648))
        return { reason: 'out of 32-bit range' };
      if (!Number.isSafeInteger(n)) return { reason: 'out of range' };
      return n;
    }
    case 'double': {
      const n = typeof value === 'string' && NUMBER_TEXT.test(value.trim()) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) return { reason: 'expected a number' };
      return n;
    }
    case 'epoch_ms_timestamp': {
      if (typeof value !== 'number' || !Number.isFinite(value))
        return { reason: 'expected epoch milliseconds' };
      const date = new Date(value);
      if (Number.isNaN(date.getTime())) return { reason: 'out of range for a timestamp' };
      return date;
    }
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}
