import { describe, expect, it } from 'vitest';
import { MAX_OUTPUT_BYTES, outputJson, TaskOutputError } from './output.ts';

describe('outputJson', () => {
  it('keeps JSON values as JSON text', () => {
    expect(outputJson('t', { rows: 3, names: ['a', 'b'], ok: true, none: null, nested: { x: 1.5 } })).toBe(
      '{"rows":3,"names":["a","b"],"ok":true,"none":null,"nested":{"x":1.5}}',
    );
    expect(outputJson('t', 'text')).toBe('"text"');
    expect(outputJson('t', 0)).toBe('0');
  });

  it.each([
    ['a function', { f: () => 1 }, /the output\.f is a function/],
    ['undefined inside an object', { a: undefined }, /the output\.a is undefined/],
    ['NaN', [1, Number.NaN], /the output\[1\] is NaN/],
    ['a Date', { at: new Date(0) }, /the output\.at is a Date, not a plain object/],
    ['a Map', new Map([[1, 2]]), /the output is a Map, not a plain object/],
    ['a BigInt', { n: 10n }, /the output\.n is a bigint/],
  ])('refuses %s, naming where it is', (_, value, message) => {
    expect(() => outputJson('count_rows', value)).toThrow(message);
    expect(() => outputJson('count_rows', value)).toThrow(/^task count_rows: .*must be JSON/);
  });

  it('refuses a value that refers back to itself', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => outputJson('t', loop)).toThrow(/the output\.self refers back to itself/);
  });

  it('accepts the same object twice side by side (not a cycle)', () => {
    const shared = { a: 1 };
    expect(outputJson('t', [shared, shared])).toBe('[{"a":1},{"a":1}]');
  });

  it(`refuses an output over ${MAX_OUTPUT_BYTES} bytes as JSON, saying its size`, () => {
    const error = (() => {
      try {
        outputJson('big', 'x'.repeat(MAX_OUTPUT_BYTES));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(TaskOutputError);
    expect(error).toMatchObject({ code: 'output_too_large' });
    expect((error as Error).message).toMatch(/65,538 bytes as JSON, over the limit of 65,536 \(64 KiB\)/);
    expect(outputJson('t', 'x'.repeat(MAX_OUTPUT_BYTES - 2))).toHaveLength(MAX_OUTPUT_BYTES);
  });
});
