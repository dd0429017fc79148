import {
  quoteIdentifier,
  type ObjectCopyOutcome,
  type ObjectCopyRequest,
  type PreparedCopy,
  type SqlRow,
  type SqlSession,
} from '../../ports/index.ts';
import { stat } from 'node:fs/promises';
import { lineShape, type LineShape } from './line-shape.ts';

/** Where the read ahead runs: outside the load's transaction, so that its failure costs nothing. */
interface Reader {
  query<T extends SqlRow = SqlRow>(sql: string, params?: Readonly<Record<string, string>>): Promise<T[]>;
}

export const DEFAULT_MAX_RECORD_BYTES = 1 << 20;
/** An in-memory database beside the warehouse's file, attached when the file is opened: files are read into it ahead of their load. */
export const SCRATCH_DATABASE = 'downbeat_scratch';
/** The column of a read-ahead table that says whether its record's values are all clear. */
export const CLEAR = '"downbeat:clear"';
let reads = 0;

/** A new table's name in the scratch database, for one read ahead. */
export function scratchTable(): string {
  reads += 1;
  return `${SCRATCH_DATABASE}.${quoteIdentifier(`read_${reads}`)}`;
}

/**
 * Files from this size are read into a table ahead of their load; smaller ones are read twice. A
 * table is the only way to number a file's records and read it on several threads, but DuckDB
 * reads a newline-delimited file on one thread below ~64 MB (one of 46 MB on one, of 82 MB on two,
 * measured), and then the table costs more than it saves (BENCHMARKS.md). Tests lower it.
 */
export const readAhead = { intoTableFrom: 64 * 2 ** 20 };

/** A local file read ahead of its load, and how its load reads it; or why DuckDB declines it. */
export interface LocalJsonRead extends PreparedCopy {
  readonly declined?: string;
  /** What the load selects from: the table the file was read into, or the file itself. */
  readonly source?: string;
  /** Each column's value, and the record's line, in `source`. */
  readonly values?: readonly string[];
  readonly line?: string;
  readonly params?: Readonly<Record<string, string>>;
  readonly lines?: number;
  /** Files read ahead together (copy-local-json-files.ts): the first one's copy loads them all. */
  readonly batch?: CopyBatch;
}

/** Several files read into one table, loaded by one statement when the first of them is copied. */
export interface CopyBatch {
  copy(tx: SqlSession, request: ObjectCopyRequest): Promise<ObjectCopyOutcome>;
}

/**
 * DuckDB loads a local NDJSON file itself (`read_json`, on all cores) when every record in it comes
 * out exactly as the worker's reader gives it: one object per line, no empty line, each value of a
 * kind whose reading is not in doubt, no record rejected. At the first doubt it declines, leaving
 * nothing written, and the file streams through the worker, whose reader names each reject's line.
 *
 * The file is read ahead of the transaction (prepareLocalJson), each field as JSON text, to check
 * every value (is it clear?): a file DuckDB cannot parse fails there, where it costs no transaction
 * (a failed statement would abort one) and holds no writer's turn. A large file is read once, on
 * all cores, into a table of an in-memory database, each value already turned into its column's
 * type; DuckDB keeps the file's order, so a row's place in that table is its line. A smaller one
 * is only counted and checked then, and read again by the load, numbered (WITH ORDINALITY, which
 * keeps DuckDB to one thread) and each field read as its SQL type. The load (copyLocalJson), only
 * when nothing is in doubt, inserts the records; when a rule rejects some, its rows are deleted
 * again and the object declined. Which way is quicker depends on the file's size: the table for a
 * large day file, reading twice for a small one (see readAhead, and BENCHMARKS.md).
 */
export async function prepareLocalJson(reader: Reader, request: ObjectCopyRequest): Promise<LocalJsonRead> {
  const local = await localFile(request);
  if ('declined' in local) return declined(local.declined);
  const { path, fields } = local;
  const readJson = (types: ReadonlyMap<string, string>) => readJsonSql('$path', fields, types);
  // Every field is read (each column's clearness looks at its field), so that DuckDB meets what it
  // cannot read: a duplicate key, an array for a record.
  const clear = `coalesce(${request.columns.map(clearSql).join(' AND ') || 'true'}, false)`;
  const intoTable = (await stat(path)).size >= readAhead.intoTableFrom;
  const table = scratchTable();
  const release = intoTable
    ? () => reader.query(`DROP TABLE IF EXISTS ${table}`).then(() => undefined)
    : () => Promise.resolve();
  const counted = (from: string) =>
    reader.query<{ records: number; doubtful: number; ordered: boolean }>(
      `SELECT count(*) AS records, count(*) FILTER (WHERE NOT ${intoTable ? CLEAR : clear}) AS doubtful,
         current_setting('preserve_insertion_order') AS ordered
       FROM ${from}`,
      { path },
    );
  const types = fieldTypes(request.columns);
  const load: LocalJsonRead = intoTable
    ? {
        source: table,
        values: request.columns.map((c) => quoteIdentifier(c.name)),
        line: 'rowid + 1',
        release,
      }
    : {
        source: `${readJson(types)} WITH ORDINALITY`,
        values: request.columns.map((c) => nativeValueSql(c, types)),
        line: 'ordinality',
        params: { path },
        release,
      };
  const [shaped, read] = await Promise.all([
    objectShape(request),
    (intoTable
      ? reader
          .query(
            `CREATE TABLE ${table} AS
             SELECT ${request.columns.map((c) => `${jsonValueSql(c)} AS ${quoteIdentifier(c.name)}`).join(', ')},
               ${clear} AS ${CLEAR}
             FROM ${readJson(new Map())}`,
            { path },
          )
          .then(() => counted(table))
      : counted(readJson(new Map()))
    ).then(
      ([row]) => ({
        records: Number(row?.records ?? 0),
        doubtful: Number(row?.doubtful ?? 0),
        ordered: row?.ordered === true,
      }),
      (error: unknown) => ({ error: firstLine(error) }),
    ),
  ]);
  // A file that cannot be read to its end (it vanished, say): the table read, if any, goes too.
  if ('failure' in shaped) {
    await release();
    throw shaped.failure;
  }
  const { shape } = shaped;
  const reason =
    'error' in read
      ? `DuckDB cannot read it as NDJSON: ${read.error}`
      : shapeProblem(shape, read, request, intoTable);
  if (reason !== undefined) {
    await release();
    return declined(reason);
  }
  return { ...load, lines: shape.lines };
}

/** The object's lines as the worker's reader sees them, or why it could not be read to its end. */
export function objectShape(
  request: ObjectCopyRequest,
): Promise<{ shape: LineShape } | { failure: unknown }> {
  return request.store
    .get(request.key)
    .then(({ body }) => lineShape(body))
    .then(
      (shape) => ({ shape }),
      (error: unknown) => ({ failure: error }),
    );
}

const declined = (reason: string): LocalJsonRead => ({ declined: reason, release: () => Promise.resolve() });

/** The file's path and the fields to read, or why DuckDB cannot read the object itself. */
export async function localFile(
  request: ObjectCopyRequest,
): Promise<{ path: string; fields: string[] } | { declined: string }> {
  const path = await request.store.localPath?.(request.key);
  if (path === undefined) return { declined: 'not a local file' };
  // DuckDB reads a path with these as a pattern, which might match other files too.
  if (/[*?[\]{}]/.test(path)) return { declined: 'its path holds characters DuckDB reads as a pattern' };
  if (request.keyColumn === undefined) return { declined: 'no key column to undo a partial load by' };
  const fields = [...new Set(request.columns.map((c) => c.field))];
  // DuckDB matches JSON keys exactly but SQL names without case: `userId` and `userid` would meet.
  if (new Set(fields.map((f) => f.toLowerCase())).size !== fields.length)
    return { declined: 'two fields differ only in case' };
  return { path, fields };
}

/**
 * `read_json` of `paths` (a parameter, a literal, or a list of literals), each field as `types`
 * says (JSON when not given); `unstructured` reads JSON documents one after another. Not unpacked
 * by its name (a .gz): the worker's reader refuses compressed files.
 */
export function readJsonSql(
  paths: string,
  fields: readonly string[],
  types: ReadonlyMap<string, string>,
  extra = '',
  format: 'newline_delimited' | 'unstructured' = 'newline_delimited',
): string {
  return `read_json(${paths}, format = '${format}', records = true, compression = 'uncompressed', columns = {${fields
    .map((f) => `${sqlText(f)}: '${types.get(f) ?? 'JSON'}'`)
    .join(', ')}}${extra})`;
}

/**
 * Why DuckDB's read of a file cannot be loaded as it is, from the file's lines and what DuckDB
 * read of it; undefined when it can. A read into a table must have kept the file's order.
 */
export function shapeProblem(
  shape: LineShape,
  read: { readonly records: number; readonly doubtful: number; readonly ordered: boolean },
  request: ObjectCopyRequest,
  intoTable: boolean,
): string | undefined {
  if (shape.firstEmptyLine !== undefined)
    return `line ${shape.firstEmptyLine} is empty, and DuckDB would not count it`;
  if (shape.longestLine > (request.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES))
    return 'a line is longer than a record may be';
  if (read.records !== shape.lines)
    return `DuckDB read ${read.records} record(s) from ${shape.lines} line(s)`;
  if (read.doubtful > 0) return `${read.doubtful} record(s) need the worker's reader, to convert or reject`;
  if (intoTable && !read.ordered)
    return "DuckDB's preserve_insertion_order is off: the rows read have lost their lines";
  return undefined;
}

/** Loads a file read ahead (prepareLocalJson) inside `tx`; declines what was declined then. */
export async function copyLocalJson(
  tx: SqlSession,
  request: ObjectCopyRequest,
  prepared: LocalJsonRead | undefined,
): Promise<ObjectCopyOutcome> {
  if (!prepared) return { declined: 'it was not read ahead of the transaction' };
  if (prepared.batch && prepared.declined === undefined) return prepared.batch.copy(tx, request);
  const { source, line } = prepared;
  if (prepared.declined !== undefined || !source || !line || request.keyColumn === undefined)
    return { declined: prepared.declined ?? 'it was not read ahead of the transaction' };
  const names = [...request.columns.map((c) => quoteIdentifier(c.name)), quoteIdentifier(request.keyColumn)];
  const values = [
    ...(prepared.values ?? []).map(
      (value, i) => `${value} AS ${quoteIdentifier(request.columns[i]?.name ?? '')}`,
    ),
    '$key',
  ];
  if (request.rankColumn) {
    names.push(quoteIdentifier(request.rankColumn));
    values.push(line);
  }
  const rejected = (request.rejectWhen ?? []).map((r) => `NOT coalesce((${r.condition}), false)`);
  const rows = await tx.execute(
    `INSERT INTO ${quoteIdentifier(request.table)} (${names.join(', ')})
     SELECT * FROM (SELECT ${values.join(', ')} FROM ${source})
     WHERE ${rejected.join(' AND ') || 'true'}`,
    { ...prepared.params, key: request.key },
  );
  const lines = prepared.lines ?? 0;
  if (rows !== lines) {
    await tx.execute(
      `DELETE FROM ${quoteIdentifier(request.table)} WHERE ${quoteIdentifier(request.keyColumn)} = $key`,
      { key: request.key },
    );
    return { declined: `${lines - rows} record(s) need the worker's reader, to reject` };
  }
  return { rows, rejected: 0, rejects: [] };
}

type CopyColumn = ObjectCopyRequest['columns'][number];

/**
 * The SQL type each field is read as, for a file read again by its load once its values are known
 * to be clear: its columns' own type when they agree and `""` needs no turning into null, else text,
 * which every clear value is written as and casts from exactly.
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
function nativeValueSql(column: CopyColumn, types: ReadonlyMap<string, string>): string {
  const field = sqlName(column.field);
  const value = column.emptyAsNull ? `NULLIF(${field}, '')` : field;
  if (column.type === 'text')
    return types.get(column.field) === 'VARCHAR' ? value : `CAST(${value} AS VARCHAR)`;
  return castSql(column.type, value, 'CAST');
}

/**
 * A clear value's column value, from its field as JSON text (which DuckDB writes itself: a string
 * in quotes, escaped only where JSON must; a number as DuckDB writes it, which casts back exactly).
 * A value in doubt may not convert (TRY_CAST: null); its record is not clear, and its file declined.
 */
export function jsonValueSql(column: CopyColumn): string {
  const json = sqlName(column.field);
  const raw = `CAST(${json} AS VARCHAR)`;
  const string = stringSql(json);
  const scalar =
    column.type === 'text' ? string : `CASE WHEN starts_with(${raw}, '"') THEN ${string} ELSE ${raw} END`;
  const value = column.emptyAsNull ? `NULLIF(${scalar}, '')` : scalar;
  return column.type === 'text' ? value : castSql(column.type, value, 'TRY_CAST');
}

/** A value (text or a number) as a column's SQL type. */
function castSql(
  type: Exclude<CopyColumn['type'], 'text'>,
  value: string,
  cast: 'CAST' | 'TRY_CAST',
): string {
  switch (type) {
    case 'integer':
      return `${cast}(${value} AS INTEGER)`;
    case 'bigint':
      return `${cast}(${value} AS BIGINT)`;
    case 'double':
      return `${cast}(${value} AS DOUBLE)`;
    case 'epoch_ms_timestamp':
      return `epoch_ms(${cast}(${value} AS BIGINT))`;
  }
}

/** A JSON string's text. One without escapes is the text between its quotes: no JSON parse needed. */
function stringSql(json: string): string {
  const raw = `CAST(${json} AS VARCHAR)`;
  return `CASE WHEN contains(${raw}, '\\') THEN (${json} ->> '$') ELSE substring(${raw}, 2, length(${raw}) - 2) END`;
}

/**
 * Whether the worker's reader takes a column's value as it is. The field is read as JSON, which
 * DuckDB hands over as text it wrote itself: a string in quotes, escaped only where JSON must; a
 * number as DuckDB writes it (1e2 as 100.0); null as SQL null. A value in doubt (a fraction for a
 * whole number, a number for text, digits with a sign or spaces) is not clear, and left to the
 * worker's reader, which converts or rejects it by its rules.
 */
export function clearSql(column: CopyColumn): string {
  const json = sqlName(column.field);
  const raw = `CAST(${json} AS VARCHAR)`;
  const isString = `starts_with(${raw}, '"')`;
  const string = stringSql(json);
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

export function sqlText(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
