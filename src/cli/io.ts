/** Where a command writes, and the environment it reads. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** What `--password-stdin` reads. @default none: such a flag is refused */
  readonly stdin?: NodeJS.ReadableStream;
}

export function print(stream: NodeJS.WritableStream, text = ''): void {
  stream.write(`${text}\n`);
}

/** Rows as aligned columns, the first row a header; trailing spaces trimmed. */
export function printTable(stream: NodeJS.WritableStream, rows: readonly (readonly string[])[]): void {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const row of rows)
    print(
      stream,
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
}
