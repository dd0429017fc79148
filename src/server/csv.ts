/**
 * A result as CSV (RFC 4180): a header line, CRLF line ends, a field quoted when it holds a comma,
 * a quote or a line break, quotes doubled; null is an empty field, a list or struct its JSON.
 */
export function toCsv(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [columns.map(field), ...rows.map((row) => row.map(field))];
  return lines.map((line) => `${line.join(',')}\r\n`).join('');
}

function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
