/** What DuckDB's load of a file must agree with: how many lines it has, and how they look. */
export interface LineShape {
  /** Lines holding at least one byte (a final newline does not start another line). */
  readonly lines: number;
  /** The first empty line before the end (1-based), if any: DuckDB skips it, and so would miscount. */
  readonly firstEmptyLine?: number;
  /** The longest line in bytes, without its newline. */
  readonly longestLine: number;
}

const NEWLINE = 0x0a;

/**
 * Scans a file's bytes for its line structure, a chunk at a time (memory stays flat whatever the
 * file's size). A record's line number is its position among these lines.
 */
export async function lineShape(body: AsyncIterable<Uint8Array>): Promise<LineShape> {
  let lines = 0; // lines seen, empty ones too
  let records = 0; // lines with bytes
  let current = 0; // bytes of the line being read
  let longestLine = 0;
  let firstEmptyLine: number | undefined;
  for await (const chunk of body) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    let from = 0;
    for (let at = bytes.indexOf(NEWLINE, from); at >= 0; at = bytes.indexOf(NEWLINE, from)) {
      current += at - from;
      lines += 1;
      if (current === 0) firstEmptyLine ??= lines;
      else records += 1;
      if (current > longestLine) longestLine = current;
      current = 0;
      from = at + 1;
    }
    current += bytes.length - from;
  }
  if (current > 0) {
    records += 1;
    if (current > longestLine) longestLine = current;
  }
  return firstEmptyLine === undefined
    ? { lines: records, longestLine }
    : { lines: records, firstEmptyLine, longestLine };
}

/** What DuckDB's load of a file of JSON documents (the `json` framing) must agree with. */
export interface DocumentShape {
  /** The line its first document starts on; none when it holds only white space. */
  readonly firstLine?: number;
  readonly bytes: number;
  /** Bytes `{` and `[` anywhere (in strings too): no document in it nests deeper. */
  readonly openers: number;
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const WHITE_SPACE = new Set([0x20, 0x09, 0x0d, NEWLINE]);
/** A byte-order mark, which the worker's reader skips between documents as it skips white space. */
const BOM = [0xef, 0xbb, 0xbf];

/** Scans a file of JSON documents for where its first one starts and how deep any may nest. */
export async function documentShape(body: AsyncIterable<Uint8Array>): Promise<DocumentShape> {
  let line = 1;
  let firstLine: number | undefined;
  let bytes = 0;
  let openers = 0;
  let bom = 0; // bytes of a byte-order mark matched so far
  for await (const chunk of body) {
    for (let at = 0; at < chunk.length; at += 1) {
      const byte = chunk[at] ?? 0;
      if (byte === OPEN_BRACE || byte === OPEN_BRACKET) openers += 1;
      if (firstLine !== undefined) continue;
      if (byte === BOM[bom]) bom = (bom + 1) % BOM.length;
      else if (bom > 0 || !WHITE_SPACE.has(byte)) firstLine = line;
      else if (byte === NEWLINE) line += 1;
    }
    bytes += chunk.length;
  }
  // A byte-order mark cut short is text, not white space.
  if (bom > 0) firstLine ??= line;
  return firstLine === undefined ? { bytes, openers } : { firstLine, bytes, openers };
}
