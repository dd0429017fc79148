import { describe, expect, it } from 'vitest';
import { readJsonRecords, type JsonFraming, type JsonRecord } from './json-records.ts';

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
    expect((await records(bytes, 'ndjson')).map((r) => r.error ?? 'ok')).toEqual(['not valid UTF-8', 'ok']);
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
