/**
 * Checks on bytes that should be JSON text: what a source is when it is not text at all (a
 * compressed file, UTF-16, binary data), where its UTF-8 goes wrong, how deep it nests. Each works
 * on bytes, so nothing is decoded, parsed or held whole to find out.
 */

/** A source that cannot be read as JSON text: the reader stops at `line` and the object is refused. */
export class NotJsonText extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** Leading bytes of formats that are never JSON text: none of them can start a UTF-8 JSON file. */
const SIGNATURES: readonly {
  readonly bytes: readonly number[];
  readonly what: string;
  readonly fix: string;
}[] = [
  { bytes: [0x1f, 0x8b], what: 'gzip-compressed', fix: 'decompress it' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], what: 'zstd-compressed', fix: 'decompress it' },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'xz-compressed', fix: 'decompress it' },
  { bytes: [0x42, 0x5a, 0x68], what: 'bzip2-compressed', fix: 'decompress it' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive', fix: 'extract it' },
  { bytes: [0xff, 0xfe], what: 'UTF-16 text (little-endian)', fix: 'convert it to UTF-8' },
  { bytes: [0xfe, 0xff], what: 'UTF-16 text (big-endian)', fix: 'convert it to UTF-8' },
];
const SIGNATURE_BYTES = Math.max(...SIGNATURES.map((s) => s.bytes.length));
/** A NUL byte this early means binary data, as git decides it (JSON text never holds a raw NUL). */
const BINARY_SNIFF_BYTES = 8000;

const hex = (bytes: ArrayLike<number>) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

/**
 * Passes the body's chunks on unchanged, but throws NotJsonText first when its opening bytes show
 * it is compressed, UTF-16 or binary: such a file would otherwise come back as thousands of
 * rejected lines that say nothing of why.
 */
export async function* checkJsonText(body: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  let head: Uint8Array | undefined = new Uint8Array(0); // until the signatures are checked
  let offset = 0; // bytes passed on so far
  let line = 1; // the line `offset` is on, counted while sniffing for binary data
  const pass = (bytes: Uint8Array) => {
    if (offset < BINARY_SNIFF_BYTES) {
      const window = bytes.subarray(0, BINARY_SNIFF_BYTES - offset);
      const nul = window.indexOf(0);
      const before = nul < 0 ? window : window.subarray(0, nul);
      for (let i = before.indexOf(0x0a); i >= 0; i = before.indexOf(0x0a, i + 1)) line += 1;
      if (nul >= 0) {
        throw new NotJsonText(line, `binary data, not JSON text (a NUL byte at byte ${offset + nul + 1})`);
      }
    }
    offset += bytes.length;
    return bytes;
  };
  for await (const chunk of body) {
    if (head === undefined) {
      yield pass(chunk);
      continue;
    }
    // Copied unless used at once: a stream may reuse its buffer.
    head = head.length === 0 && chunk.length >= SIGNATURE_BYTES ? chunk : concatBytes([head, chunk]);
    if (head.length < SIGNATURE_BYTES) continue;
    checkSignature(head);
    const first = head;
    head = undefined;
    yield pass(first);
  }
  if (head !== undefined && head.length > 0) {
    checkSignature(head);
    yield pass(head);
  }
}

function checkSignature(head: Uint8Array): void {
  for (const { bytes, what, fix } of SIGNATURES) {
    if (head.length >= bytes.length && bytes.every((b, i) => head[i] === b)) {
      throw new NotJsonText(
        1,
        `${what}, not JSON text (it starts with the bytes ${hex(bytes)}): ${fix} before staging it`,
      );
    }
  }
}

/**
 * Whether JSON text nests arrays and objects more than `limit` deep (brackets inside strings do
 * not count). Text shorter than the limit cannot, so a normal record costs nothing.
 */
export function nestsDeeperThan(bytes: Uint8Array, limit: number): boolean {
  if (bytes.length <= limit) return false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (const c of bytes) {
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 0x5c) escaped = true;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return false;
}

/** Why bytes that failed to decode are not UTF-8: the first bad byte and where it is. */
export function describeInvalidUtf8(bytes: Uint8Array, of: 'line' | 'record'): string {
  const at = firstInvalidUtf8(bytes);
  if (at < 0) return 'not valid UTF-8';
  return `not valid UTF-8 (byte 0x${hex([bytes[at] ?? 0])} at byte ${at + 1} of the ${of})`;
}

/** The index of the first byte that does not begin a well-formed UTF-8 sequence; -1 if none. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    // The allowed range of the second byte, and the sequence's length (Unicode Table 3-7).
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    if (i + length > bytes.length) return i;
    const second = bytes[i + 1] as number;
    if (second < low || second > high) return i;
    for (let k = 2; k < length; k += 1) {
      const next = bytes[i + k] as number;
      if (next < 0x80 || next > 0xbf) return i;
    }
    i += length;
  }
  return -1;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A value as a reject shows it, never walking into it (it may nest thousands deep). */
export function shallowDescription(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return 'an object';
}
