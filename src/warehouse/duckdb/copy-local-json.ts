import {
  quoteIdentifier,
  type ObjectCopyOutcome,
  type ObjectCopyRequest,
  type SqlRow,
  type SqlSession,
} from '../../ports/index.ts';
import { lineShape } from './line-shape.ts';

/** Where the first read runs: outside the load's transaction, so that its failure costs nothing. */
interface Reader {
  query<T extends SqlRow = SqlRow>(sql: string, params?: Readonly<Record<string, string>>): Promise<T[]>;
}

const DEFAULT_MAX_RECORD_BYTES = 1 << 20;

/**
 * DuckDB loads a local NDJSON file itself (`read_json`, on all cores) when every record in it comes
 * out exactly as the worker's reader gives it: one object per line, no empty line, each value of a
 * kind whose reading is not in doubt, no record rejected. At the first doubt it declines, leaving
 * nothing written, and the file streams through the worker, whose reader names each reject's line.
 *
 * Two reads of the file. The first, outside the transaction, reads every value as JSON text and
 * finds what DuckDB cannot parse (a failed statement would abort DuckDB's transaction) and any
 * value in doubt. The second, only when there is none, inserts the records with each field read as
 * its SQL type (reading values as JSON text took 1.7x as long); when a rule rejects some of them,
 * its rows are deleted again and the object declined.
 */
export async function copyLocalJson(
  reader: Reader,
  tx: SqlSession,
  request: ObjectCopyRequest,
): Promise<ObjectCopyOutcome> {
  const path = await request.store.localPath?.(request.key);
  if (path === undefined) return { declined: 'not a local file' };
  // DuckDB reads a path with these as a pattern, which might match other files too.
  if (/[*?[\]{}]/.test(path)) return { declined: 'its path holds characters DuckDB reads as a pattern' };
  if (request.keyColumn === undefined) return { declined: 'no key column to undo a partial load by' };
  const fields = [...new Set(request.columns.map((c) => c.field))];
  // DuckDB matches JSON keys exactly but SQL names without case: `userId` and `userid` would meet.
  if (new Set(fields.map((f) => f.toLowerCase())).size !== fields.length)
    return { declined: 'two fields differ only in case' };

  // Not unpacked by its name (a .gz): the worker's reader refuses compressed files. Numbering the
  // records (WITH ORDINALITY) keeps DuckDB to one thread: only the insert, which keeps the lines, does.
  const readJson = (types: ReadonlyMap<string, string>, numbered: boolean) =>
    `read_json($path, format = 'newline_delimited', records = true, compression = 'uncompressed', columns = {${fields
      .map((f) => `${sqlText(f)}: '${types.get(f) ?? 'JSON'}'`)
      .join(', ')}})${numbered ? ' WITH ORDINALITY' : ''}`;
  const [shape, parsed] = await Promise.all([
    request.store.get(request.key).then(({ body }) => lineShape(body)),
    reader
      .query<{ records: number; doubtful: number }>(
        // Every field is read (each column's clearness looks at its field), so that DuckDB meets
        // what it cannot read: a duplicate key, an array for a record.
        `SELECT count(*) AS records,
           count(*) FILTER (WHERE NOT coalesce(${request.columns.map(clearSql).join(' AND ') || 'true'}, false)) AS doubtful
         FROM ${readJson(new Map(), false)}`,
        { path },
      )
      .then(
        ([row]) => ({ records: Number(row?.records ?? 0), doubtful: Number(row?.doubtful ?? 0) }),
        (error: unknown) => ({ error: firstLine(error) }),
      ),
  ]);
  if ('error' in parsed) return { declined: `DuckDB cannot read it as NDJSON: ${parsed.error}` };
  if (shape.firstEmptyLine !== undefined)
    return { declined: `line ${shape.firstEmptyLine} is empty, and DuckDB would not count it` };
  if (shape.longestLine > (request.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES))
    return { declined: 'a line is longer than a record may be' };
  if (parsed.records !== shape.lines)
    return { declined: `DuckDB read ${parsed.records} record(s) from ${shape.lines} line(s)` };
  if (parsed.doubtful > 0)
    return { declined: `${parsed.doubtful} record(s) need the worker's reader, to convert or reject` };

  const types = fieldTypes(request.columns);
  const names = [...request.columns.map((c) => quoteIdentifier(c.name)), quoteIdentifier(request.keyColumn)];
  const values = [
    ...request.columns.map((c) => `${valueSql(c, types)} AS ${quoteIdentifier(c.name)}`),
    '$key',
  ];
  if (request.rankColumn) {
    names.push(quoteIdentifier(request.rankColumn));
    values.push('ordinality');
  }
  const rejected = (request.rejectWhen ?? []).map((r) => `NOT coalesce((${r.condition}), false)`);
  const rows = await tx.execute(
    `INSERT INTO ${quoteIdentifier(request.table)} (${names.join(', ')})
     SELECT * FROM (SELECT ${values.join(', ')} FROM ${readJson(types, true)})
     WHERE ${rejected.join(' AND ') || 'true'}`,
    { path, key: request.key },
  );
  if (rows !== shape.lines) {
    await tx.execute(
      `DELETE FROM ${quoteIdentifier(request.table)} WHERE ${quoteIdentifier(request.keyColumn)} = $key`,
      { key: request.key },
    );
    return { declined: `${shape.lines - rows} record(s) need the worker's reader, to reject` };
  }
  return { rows, rejected: 0, rejects: [] };
}

type CopyColumn = ObjectCopyRequest['columns'][number];

/**
 * The SQL type each field is read as once its values are known to be clear: its columns' own type
 * when they agree and `""` needs no turning into null, else text, which every clear value is
 * written as and casts from exactly.
 */
function fieldTypes(columns: readonly CopyColumn[]): Map<string, string> {
  const native = (c: CopyColumn) =>
    c.emptyAsNull && c.type !== 'text'
      ? 'VARCHAR'
      : {
          text: 'VARCHAR',
          integer: 'BIGINT',
          bigint: 'BIGINT',
          double: 'DOUBLE',
          epoch_ms_timestamp: 'BIGINT',
        }[c.type];
  const types = new Map<string, string>();
  for (const c of columns) {
    const type = native(c);
    types.set(c.field, (types.get(c.field) ?? type) === type ? type : 'VARCHAR');
  }
  return types;
}

/** A clear value's column value, from its field read as `types` has it. */
function valueSql(column: CopyColumn, types: ReadonlyMap<string, string>): string {
  const field = sqlName(column.field);
  const value = column.emptyAsNull ? `NULLIF(${field}, '')` : field;
  switch (column.type) {
    case 'text':
      return types.get(column.field) === 'VARCHAR' ? value : `CAST(${value} AS VARCHAR)`;
    case 'integer':
      return `CAST(${value} AS INTEGER)`;
    case 'bigint':
      return `CAST(${value} AS BIGINT)`;
    case 'double':
      return `CAST(${value} AS DOUBLE)`;
    case 'epoch_ms_timestamp':
      return `epoch_ms(CAST(${value} AS BIGINT))`;
  }
}

/**
 * Whether the worker's reader takes a column's value as it is. The field is read as JSON, which
 * DuckDB hands over as text it wrote itself: a string in quotes, escaped only where JSON must; a
 * number as DuckDB writes it (1e2 as 100.0); null as SQL null. A value in doubt (a fraction for a
 * whole number, a number for text, digits with a sign or spaces) is not clear, and left to the
 * worker's reader, which converts or rejects it by its rules.
 */
function clearSql(column: CopyColumn): string {
  const json = sqlName(column.field);
  const raw = `CAST(${json} AS VARCHAR)`;
  const isString = `starts_with(${raw}, '"')`;
  // A string without escapes is the text between its quotes: no JSON parse needed.
  const string = `CASE WHEN contains(${raw}, '\\') THEN (${json} ->> '$') ELSE substring(${raw}, 2, length(${raw}) - 2) END`;
  const empty = column.emptyAsNull ? `${raw} = '""'` : 'false';
  // Whole numbers: plain digits that read back as written ('+1', '1.0', '007' do not), in range.
  const whole = (text: string, min: number, max: number) =>
    `(CAST(TRY_CAST(${text} AS BIGINT) AS VARCHAR) = ${text} AND TRY_CAST(${text} AS BIGINT) BETWEEN ${min} AND ${max})`;
  const numberOrDigits = (min: number, max: number) =>
    `CASE WHEN ${isString} THEN ${whole(string, min, max)} ELSE ${whole(raw, min, max)} END`;
  const clear = (condition: string) => `(${json} IS NULL OR ${empty} OR ${condition})`;
  switch (column.type) {
    case 'text':
      return `(${json} IS NULL OR ${isString})`;
    case 'integer':
      return clear(numberOrDigits(-(2 ** 31), 2 ** 31 - 1));
    case 'bigint':
      return clear(numberOrDigits(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
    case 'double':
      // Numbers only (the reader takes numeric strings too, but by rules of its own).
      return clear(`(NOT ${isString} AND isfinite(TRY_CAST(${raw} AS DOUBLE)))`);
    case 'epoch_ms_timestamp':
      // Whole milliseconds as a number, within the range a JavaScript Date holds.
      return clear(`(NOT ${isString} AND ${whole(raw, -8.64e15, 8.64e15)})`);
  }
}

function sqlName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function sqlText(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
