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
