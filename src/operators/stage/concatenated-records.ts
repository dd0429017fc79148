import type { JsonLimits, JsonRecord } from './json-record.ts';
import { concatBytes, describeInvalidUtf8, shallowDescription } from './json-text.ts';

const NEWLINE = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const BOM = [0xef, 0xbb, 0xbf];
/** Bytes of stray text a reject shows. */
const STRAY_SHOWN = 40;

/**
 * Records written one after another: one per line, pretty-printed across lines, or concatenated
 * on one line. A top-level array yields its elements. Scans bytes, tracking strings and depth: the
 * characters that structure JSON are ASCII, and no byte of a multi-byte UTF-8 character is, so a
 * record with bad UTF-8 is found whole and rejected alone, and the records after it still load.
 */
export async function* concatenatedRecords(
  body: AsyncIterable<Uint8Array>,
  limits: JsonLimits,
): AsyncIterable<JsonRecord> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let line = 1;
  let parts: Uint8Array[] = []; // the current record's bytes from earlier chunks
  let size = 0;
  let recordLine = 0;
  let depth = 0;
  let deepest = 0;
  let inString = false;
  let escaped = false;
  let bom = 0; // bytes of a byte-order mark seen between records
  let stray: number[] | undefined; // text outside any record, up to the end of its line
  let strayLine = 0;

  const strayReject = (): JsonRecord => {
    const shown = new TextDecoder().decode(new Uint8Array(stray ?? []));
    stray = undefined;
    return { line: strayLine, error: `unexpected text ${JSON.stringify(shown)} outside a JSON object` };
  };
  const record = (bytes: Uint8Array): Iterable<JsonRecord> => {
    if (bytes.length > limits.maxRecordBytes)
      return [{ line: recordLine, error: `record longer than ${limits.maxRecordBytes} bytes` }];
    if (deepest > limits.maxDepth)
      return [{ line: recordLine, error: `nested deeper than ${limits.maxDepth} levels` }];
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      return [{ line: recordLine, error: describeInvalidUtf8(bytes, 'record') }];
    }
    return parseValue(text, recordLine);
  };

  for await (const chunk of body) {
    let from = depth > 0 ? 0 : -1; // where the current record starts in this chunk
    for (let i = 0; i < chunk.length; i += 1) {
      const c = chunk[i] as number;
      if (c === NEWLINE) {
        line += 1;
        if (stray) yield strayReject();
      }
      if (depth === 0) {
        if (bom > 0) {
          if (c === BOM[bom]) {
            bom = (bom + 1) % BOM.length;
            continue;
          }
          // Part of a byte-order mark is stray text.
          if (!stray) {
            stray = BOM.slice(0, bom);
            strayLine = line;
          }
          bom = 0;
        }
        if (stray) {
          if (c !== NEWLINE && stray.length < STRAY_SHOWN) stray.push(c);
        } else if (c === BOM[0]) {
          bom = 1;
        } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
          depth = 1;
          deepest = 1;
          recordLine = line;
          from = i;
        } else if (!(c === 0x20 || c === 0x09 || c === 0x0d || c === NEWLINE)) {
          stray = [c];
          strayLine = line;
        }
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) inString = false;
        continue;
      }
      if (c === QUOTE) inString = true;
      else if (c === 0x7b || c === 0x5b) {
        depth += 1;
        if (depth > deepest) deepest = depth;
      } else if (c === 0x7d || c === 0x5d) {
        depth -= 1;
        if (depth === 0) {
          const last = chunk.subarray(from, i + 1);
          const bytes = parts.length === 0 ? last : concatBytes([...parts, last]);
          parts = [];
          size = 0;
          from = -1;
          yield* record(bytes);
        }
      }
    }
    if (depth > 0) {
      const part = chunk.subarray(from);
      if (size + part.length > limits.maxRecordBytes) {
        // Its end cannot be found without reading it whole: the object is refused, not half read.
        yield {
          line: recordLine,
          error: `record longer than ${limits.maxRecordBytes} bytes, so the file cannot be read past it`,
          fatal: true,
        };
        return;
      }
      parts.push(part.slice()); // copied: a stream may reuse its buffer
      size += part.length;
    }
  }
  if (stray) yield strayReject();
  else if (bom > 0) {
    stray = BOM.slice(0, bom);
    strayLine = line;
    yield strayReject();
  }
  if (depth > 0) yield { line: recordLine, error: 'truncated JSON: the file ends inside this record' };
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
      yield { line, error: `expected a JSON object, got ${shallowDescription(item)}` };
    } else {
      yield { line, value: item as Record<string, unknown> };
    }
  }
}
