/**
 * Splits a JSON source into records, each with the line it starts on, without holding more than
 * one record in memory. A record that cannot be read comes back with a reason instead of a value,
 * so the caller can reject it and go on; a source that cannot be read at all (compressed, binary,
 * a record too long to find the end of) ends with a fatal one.
 */
import { concatenatedRecords } from './concatenated-records.ts';
import type { JsonLimits, JsonRecord } from './json-record.ts';
import {
  checkJsonText,
  concatBytes,
  describeInvalidUtf8,
  nestsDeeperThan,
  NotJsonText,
  shallowDescription,
} from './json-text.ts';

/** `ndjson`: one record per line. `json`: records one after another, pretty-printed or not. */
export type JsonFraming = 'ndjson' | 'json';

export interface JsonRecordOptions {
  readonly framing: JsonFraming;
  /** A record longer than this is rejected without being read whole. @default 1 MiB */
  readonly maxRecordBytes?: number;
  /**
   * A record whose arrays and objects nest deeper than this is rejected unparsed: nothing real
   * is, and values that deep overflow the stack of code that walks them. @default 1000
   */
  readonly maxDepth?: number;
}

const NEWLINE = 0x0a;

export async function* readJsonRecords(
  body: AsyncIterable<Uint8Array>,
  options: JsonRecordOptions,
): AsyncIterable<JsonRecord> {
  const limits = { maxRecordBytes: options.maxRecordBytes ?? 1 << 20, maxDepth: options.maxDepth ?? 1000 };
  const text = checkJsonText(body);
  try {
    yield* options.framing === 'ndjson' ? ndjsonRecords(text, limits) : concatenatedRecords(text, limits);
  } catch (error) {
    if (!(error instanceof NotJsonText)) throw error;
    yield { line: error.line, error: error.reason, fatal: true };
  }
}

async function* ndjsonRecords(
  body: AsyncIterable<Uint8Array>,
  limits: JsonLimits,
): AsyncIterable<JsonRecord> {
  const max = limits.maxRecordBytes;
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  let line = 0;

  const finish = (): JsonRecord | undefined => {
    line += 1;
    if (tooLong) {
      // Skipped, not held: the lines after it are still records.
      tooLong = false;
      return { line, error: `line longer than ${max} bytes` };
    }
    const bytes = pending.length === 1 ? (pending[0] as Uint8Array) : concatBytes(pending);
    pending = [];
    pendingBytes = 0;
    if (nestsDeeperThan(bytes, limits.maxDepth))
      return { line, error: `nested deeper than ${limits.maxDepth} levels` };
    let text: string;
    try {
      // A BOM is skipped by the decoder only at the start of a stream; a line is its own stream.
      text = decoder.decode(bytes);
    } catch {
      return { line, error: describeInvalidUtf8(bytes, 'line') };
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
      error: `expected a JSON object, got ${shallowDescription(value)}`,
    };
  }
  return { line, value: value as Record<string, unknown> };
}
