import { describe, expect, it } from 'vitest';
import type { JsonRecord } from './json-record.ts';
import { readJsonRecords, type JsonFraming } from './json-records.ts';

/** Feeds the text in small chunks, so records and characters cross chunk boundaries. */
async function records(
  input: string | Uint8Array,
  framing: JsonFraming,
  chunk = 7,
  maxRecordBytes?: number,
): Promise<JsonRecord[]> {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  async function* body() {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  }
  const out: JsonRecord[] = [];
  for await (const record of readJsonRecords(body(), { framing, maxRecordBytes })) out.push(record);
  return out;
}

describe('ndjson framing', () => {
  it('reads one record per line with its line number, skipping blank lines and a BOM', async () => {
    const result = await records('\uFEFF{"a":1}\n\n{"a":"é"}\r\n{"a":3}', 'ndjson');
    expect(result).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 3, value: { a: 'é' } },
      { line: 4, value: { a: 3 } },
    ]);
  });

  it('rejects a truncated line, a line that is not JSON and a value that is not an object, and goes on', async () => {
    const result = await records('{"a":1}\n{"a":\nnot json\n[1,2]\n{"a":5}\n', 'ndjson');
    expect(result.map((r) => [r.line, r.error?.replace(/ \(.*$/, '') ?? 'ok'])).toEqual([
      [1, 'ok'],
      [2, 'not valid JSON'],
      [3, 'not valid JSON'],
      [4, 'expected a JSON object, got an array'],
      [5, 'ok'],
    ]);
  });

  it('rejects invalid UTF-8 and over-long lines without holding them', async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('{"a":"'),
      0xff,
      0xfe,
      ...new TextEncoder().encode('"}\n{"a":2}\n'),
    ]);
    expect((await records(bytes, 'ndjson')).map((r) => r.error ?? 'ok')).toEqual([
      'not valid UTF-8 (byte 0xff at byte 7 of the line)',
      'ok',
    ]);
    const long = `{"a":"${'x'.repeat(5000)}"}\n{"b":1}\n`;
    const result = await records(long, 'ndjson', 100, 1000);
    expect(result).toEqual([
      { line: 1, error: 'line longer than 1000 bytes' },
      { line: 2, value: { b: 1 } },
    ]);
  });
});

describe('json framing (pretty-printed, several per file, concatenated)', () => {
  it('reads a pretty-printed object, objects one per line and concatenated ones', async () => {
    const text =
      '{\n  "song_id": "S1",\n  "title": "a } in \\" text"\n}\n{"song_id":"S2"}\n{"song_id":"S3"}{"song_id":"S4"}\n';
    expect(await records(text, 'json')).toEqual([
      { line: 1, value: { song_id: 'S1', title: 'a } in " text' } },
      { line: 5, value: { song_id: 'S2' } },
      { line: 6, value: { song_id: 'S3' } },
      { line: 6, value: { song_id: 'S4' } },
    ]);
  });

  it('reads the elements of a top-level array', async () => {
    expect(await records('[{"a":1},\n{"a":2}]', 'json')).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 1, value: { a: 2 } },
    ]);
  });

  it('reports a truncated file, stray text and invalid JSON with their lines', async () => {
    const result = await records('{"a":1}\ngarbage here\n{"a": tru}\n{"a":\n  2', 'json');
    expect(result.map((r) => [r.line, r.error?.replace(/ \(.*$/, '') ?? 'ok'])).toEqual([
      [1, 'ok'],
      [2, 'unexpected text "garbage here" outside a JSON object'],
      [3, 'not valid JSON'],
      [4, 'truncated JSON: the file ends inside this record'],
    ]);
  });

  it('reads a BOM and an empty file', async () => {
    expect(await records('\uFEFF{"a":1}', 'json')).toEqual([{ line: 1, value: { a: 1 } }]);
    expect(await records('', 'json')).toEqual([]);
    expect(await records('', 'ndjson')).toEqual([]);
  });
});

describe('sources that are not JSON text', () => {
  it.each([
    [[0x1f, 0x8b, 0x08, 0x00], 'gzip-compressed', '1f 8b', 'decompress it'],
    [[0x28, 0xb5, 0x2f, 0xfd, 0x00], 'zstd-compressed', '28 b5 2f fd', 'decompress it'],
    [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00], 'xz-compressed', 'fd 37 7a 58 5a 00', 'decompress it'],
    [[0x42, 0x5a, 0x68, 0x39], 'bzip2-compressed', '42 5a 68', 'decompress it'],
    [[0x50, 0x4b, 0x03, 0x04], 'a zip archive', '50 4b 03 04', 'extract it'],
    [[0xff, 0xfe, 0x7b, 0x00], 'UTF-16 text (little-endian)', 'ff fe', 'convert it to UTF-8'],
    [[0xfe, 0xff, 0x00, 0x7b], 'UTF-16 text (big-endian)', 'fe ff', 'convert it to UTF-8'],
  ])('%j is %s, even fed a byte at a time', async (bytes, what, signature, fix) => {
    for (const framing of ['ndjson', 'json'] as const) {
      expect(await records(new Uint8Array([...bytes, 0x0a]), framing, 1)).toEqual([
        {
          line: 1,
          error: `${what}, not JSON text (it starts with the bytes ${signature}): ${fix} before staging it`,
          fatal: true,
        },
      ]);
    }
  });

  it('a NUL byte in the first 8000 bytes is binary data, named with its byte and line; later, one bad line', async () => {
    const early = new Uint8Array([...new TextEncoder().encode('{"a":1}\n{"a":'), 0, 0x0a]);
    expect((await records(early, 'ndjson')).at(-1)).toEqual({
      line: 2,
      error: 'binary data, not JSON text (a NUL byte at byte 14)',
      fatal: true,
    });
    const late = new Uint8Array([...new TextEncoder().encode(`${'{"a":1}\n'.repeat(1000)}{"a":`), 0, 0x0a]);
    expect((await records(late, 'ndjson', 4096)).at(-1)?.error).toMatch(/^not valid JSON/);
  });

  it('a file of one or two bytes is too short to be a signature, and is judged as text', async () => {
    expect(await records(new Uint8Array([0x1f]), 'ndjson')).toEqual([
      { line: 1, error: expect.stringMatching(/^not valid JSON/) as string },
    ]);
    expect(await records('{}', 'json', 1)).toEqual([{ line: 1, value: {} }]);
  });
});

describe('UTF-8, byte-order marks and depth in the json framing', () => {
  it('names the first bad byte: a lone continuation byte, an overlong form, a surrogate, a cut-off sequence', async () => {
    const cases: [number[], string][] = [
      [[0x80], '0x80 at byte 9'],
      [[0xc0, 0xaf], '0xc0 at byte 9'],
      [[0xed, 0xa0, 0x80], '0xed at byte 9'],
      [[0xf4, 0x90, 0x80, 0x80], '0xf4 at byte 9'],
      [[0xe2, 0x82], '0xe2 at byte 9'],
    ];
    for (const [bad, where] of cases) {
      const bytes = new Uint8Array([...new TextEncoder().encode('{"a":"é'), ...bad, 0x22, 0x7d]);
      expect(await records(bytes, 'json', 3)).toEqual([
        { line: 1, error: `not valid UTF-8 (byte ${where} of the record)` },
      ]);
    }
  });

  it('skips a BOM between records even when a chunk boundary splits it; a broken one is stray text', async () => {
    const text = '\uFEFF{"a":1}\n\uFEFF{"a":2}';
    for (const chunk of [1, 2, 3, 5])
      expect(await records(text, 'json', chunk)).toEqual([
        { line: 1, value: { a: 1 } },
        { line: 2, value: { a: 2 } },
      ]);
    const broken = new Uint8Array([0xef, 0xbb, 0x7b, 0x7d, 0x0a, 0x7b, 0x7d]);
    expect(await records(broken, 'json')).toEqual([
      { line: 1, error: expect.stringMatching(/^unexpected text ".*\{\}" outside a JSON object$/) as string },
      { line: 2, value: {} },
    ]);
  });

  it('rejects a record nested deeper than the limit, and reads the records after it', async () => {
    const text = `${'['.repeat(11)}${']'.repeat(11)}\n{"a":[[[[[[[[[1]]]]]]]]]}\n{"a":1}`;
    for (const framing of ['ndjson', 'json'] as const) {
      const out: JsonRecord[] = [];
      async function* body() {
        yield new TextEncoder().encode(text);
      }
      for await (const record of readJsonRecords(body(), { framing, maxDepth: 10 })) out.push(record);
      expect(out).toEqual([
        { line: 1, error: 'nested deeper than 10 levels' },
        { line: 2, value: { a: [[[[[[[[[1]]]]]]]]] } },
        { line: 3, value: { a: 1 } },
      ]);
    }
  });
});
