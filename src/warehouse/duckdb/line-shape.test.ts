import { describe, expect, it } from 'vitest';
import { lineShape } from './line-shape.ts';

/** The text in chunks of `size` bytes, as a file stream would deliver it. */
async function* chunks(text: string, size: number): AsyncIterable<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('lineShape', () => {
  it('counts lines with bytes, whatever the chunks, and finds the longest', async () => {
    for (const size of [1, 2, 3, 7, 1 << 16]) {
      expect(await lineShape(chunks('{"a":1}\n{"b":22}\n', size))).toEqual({ lines: 2, longestLine: 8 });
      expect(await lineShape(chunks('{"a":1}\n{"b":22}', size))).toEqual({ lines: 2, longestLine: 8 });
    }
  });

  it('names the first empty line, which DuckDB would skip without counting', async () => {
    expect(await lineShape(chunks('{}\n\n{}\n\n', 3))).toEqual({
      lines: 2,
      firstEmptyLine: 2,
      longestLine: 2,
    });
    expect(await lineShape(chunks('\n{}', 1))).toEqual({ lines: 1, firstEmptyLine: 1, longestLine: 2 });
  });

  it('takes an empty file as no lines', async () => {
    expect(await lineShape(chunks('', 4))).toEqual({ lines: 0, longestLine: 0 });
  });
});
