/**
 * Splits a JSON source into records, each with the line it starts on, without holding more than
 * one record in memory. A record that cannot be read comes back with a reason instead of a value,
 * so the caller can reject it and go on.
 */

/** `ndjson`: one record per line. `json`: records one after another, pretty-printed or not. */
export type JsonFraming = 'ndjson' | 'json';

export type JsonRecord =
  | { readonly line: number; readonly value: Record<string, unknown>; readonly error?: undefined }
  | { readonly line: number; readonly value?: undefined; readonly error: string };

export interface JsonRecordOptions {
  readonly framing: JsonFraming;
  /** A record longer than this is rejected without being read whole. @default 1 MiB */
  readonly maxRecordBytes?: number;
}

const NEWLINE = 0x0a;

export function readJsonRecords(
  body: AsyncIterable<Uint8Array>,
  options: JsonRecordOptions,
): AsyncIterable<JsonRecord> {
  const max = options.maxRecordBytes ?? 1 << 20;
  return options.framing === 'ndjson' ? ndjsonRecords(body, max) : concatenatedRecords(body, max);
}

async function* ndjsonRecords(body: AsyncIterable<Uint8Array>, max: number): AsyncIterable<JsonRecord> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  let line = 0;

  const finish = (): JsonRecord | undefined => {
    line += 1;
    if (tooLong) {
      tooLong = false;
      return { line, error: `line longer than ${max} bytes` };
    }
    const bytes = pending.length === 1 ? (pending[0] as Uint8Array) : concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    let text: string;
    try {
      // A BOM is skipped by the decoder only at the start of a stream; a line is its own stream.
      text = decoder.decode(bytes);
    } catch {
      return { line, error: 'not valid UTF-8' };
    }
    return parseRecord(text, line);
  };

  for await (const chunk of body) {
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE, start); end >= 0; end = chunk.indexOf(NEWLINE, start)) {
      take(chunk.subarray(start, end));
      const record = finish();
      if (record) yield record;
      start = end + 1;
    }
    take(chunk.subarray(start));
  }
  if (pendingBytes > 0 || tooLong) {
    const record = finish();
    if (record) yield record;
  }

  function take(part: Uint8Array): void {
    if (part.length === 0 || tooLong) return;
    if (pendingBytes + part.length > max) {
      tooLong = true;
      pending = [];
      pendingBytes = 0;
      return;
    }
    // Copy: the stream may reuse its buffer.
    pending.push(part.slice());
    pendingBytes += part.length;
  }
}

/** The record on one line; undefined for a blank line. */
function parseRecord(text: string, line: number): JsonRecord | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    return { line, error: `not valid JSON (${(error as Error).message})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      line,
      error: `expected a JSON object, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`,
    };
  }
  return { line, value: value as Record<string, unknown> };
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Records written one after another: one per line, pretty-printed across lines, or concatenated
 * on one line. A top-level array yields its elements. Scans characters, tracking strings and depth.
 */
async function* concatenatedRecords(body: AsyncIterable<Uint8Array>, max: number): AsyncIterable<JsonRecord> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let record = '';
  let recordLine = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let skippingLine = false;
  let bad = '';

  const chunks = async function* (): AsyncIterable<string> {
    try {
      for await (const chunk of body) yield decoder.decode(chunk, { stream: true });
      yield decoder.decode();
    } catch (error) {
      if (error instanceof TypeError) throw new InvalidUtf8(line);
      throw error;
    }
  };

  try {
    for await (const text of chunks()) {
      let from = 0; // start of the part of `text` that belongs to the current record
      for (let i = 0; i < text.length; i += 1) {
        const c = text.charCodeAt(i);
        if (c === NEWLINE) {
          line += 1;
          if (skippingLine) {
            skippingLine = false;
            yield {
              line: line - 1,
              error: `unexpected text ${JSON.stringify(bad.slice(0, 40))} outside a JSON object`,
            };
            bad = '';
          }
        }
        if (skippingLine) {
          if (bad.length < 40) bad += text[i] ?? '';
          continue;
        }
        if (depth === 0) {
          if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
            depth = 1;
            recordLine = line;
            from = i;
            record = '';
          } else if (!(c === 0x20 || c === 0x09 || c === 0x0d || c === NEWLINE || c === 0xfeff)) {
            skippingLine = true;
            bad = text[i] ?? '';
          }
          continue;
        }
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 0x5c /* \ */) escaped = true;
          else if (c === 0x22 /* " */) inString = false;
          continue;
        }
        if (c === 0x22) inString = true;
        else if (c === 0x7b || c === 0x5b) depth += 1;
        else if (c === 0x7d || c === 0x5d) {
          depth -= 1;
          if (depth === 0) {
            const whole = record + text.slice(from, i + 1);
            record = '';
            if (whole.length > max) yield { line: recordLine, error: `record longer than ${max} bytes` };
            else yield* parseValue(whole, recordLine);
          }
        }
      }
      if (depth > 0) {
        record += text.slice(from);
        if (record.length > max) {
          // Its end cannot be found without reading it whole, so the rest of the file is not read.
          yield {
            line: recordLine,
            error: `record longer than ${max} bytes; the rest of the file was not read`,
          };
          return;
        }
      }
    }
  } catch (error) {
    if (error instanceof InvalidUtf8) {
      yield { line: error.line, error: 'not valid UTF-8' };
      return;
    }
    throw error;
  }
  if (skippingLine)
    yield { line, error: `unexpected text ${JSON.stringify(bad.slice(0, 40))} outside a JSON object` };
  if (depth > 0) yield { line: recordLine, error: 'truncated JSON: the file ends inside this record' };
}

class InvalidUtf8 extends Error {
  constructor(readonly line: number) {
    super('invalid UTF-8');
  }
}

function* parseValue(text: string, line: number): Iterable<JsonRecord> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    yield { line, error: `not valid JSON (${(error as Error).message})` };
    return;
  }
  for (const item of Array.isArray(value) ? value : [value]) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      yield { line, error: `expected a JSON object, got ${JSON.stringify(item)?.slice(0, 40)}` };
    } else {
      yield { line, value: item as Record<string, unknown> };
    }
  }
}
