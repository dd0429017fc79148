import { describe, expect, it } from 'vitest';
import { coerceRecord, type StagingColumn } from './columns.ts';

const columns: StagingColumn[] = [
  { name: 'artist', type: 'text' },
  { name: 'sessionid', field: 'sessionId', type: 'integer' },
  { name: 'length', type: 'double' },
  { name: 'ts', type: 'bigint', required: true },
  { name: 'userid', field: 'userId', type: 'integer', emptyAsNull: true },
  { name: 'at', field: 'ts', type: 'epoch_ms_timestamp' },
];

describe('coerceRecord', () => {
  it('loads messy but valid values', () => {
    expect(
      coerceRecord({ artist: 112, sessionId: '12', length: '218.5', ts: 1542276000123, userId: '' }, columns),
    ).toEqual({
      row: ['112', 12, 218.5, 1542276000123, null, new Date(1542276000123)],
    });
    expect(coerceRecord({ ts: 1, userId: '39' }, columns).row).toEqual([
      null,
      null,
      null,
      1,
      39,
      new Date(1),
    ]);
  });

  it('rejects text where a number is expected, naming the field and value', () => {
    expect(coerceRecord({ sessionId: 'abc', ts: 1 }, columns)).toEqual({
      error: 'sessionId: expected a whole number, got "abc"',
    });
    expect(coerceRecord({ length: 'long', ts: 1 }, columns)).toEqual({
      error: 'length: expected a number, got "long"',
    });
    expect(coerceRecord({ sessionId: 1.5, ts: 1 }, columns).error).toBe(
      'sessionId: expected a whole number, got 1.5',
    );
    expect(coerceRecord({ sessionId: 2 ** 40, ts: 1 }, columns).error).toMatch(/out of 32-bit range/);
    expect(coerceRecord({ artist: { name: 'x' }, ts: 1 }, columns).error).toBe(
      'artist: expected text, got an object',
    );
    expect(coerceRecord({}, columns).error).toBe('ts: missing');
  });
});
