import type { ObjectCopyOutcome, ObjectCopyRequest, SqlRow, SqlSession } from '../../ports/index.ts';
import {
  CLEAR,
  clearSql,
  DEFAULT_MAX_RECORD_BYTES,
  firstLine,
  jsonValueSql,
  localFile,
  objectShape,
  prepareLocalJson,
  readJsonSql,
  scratchTable,
  shapeProblem,
  sqlText,
  type CopyBatch,
  type LocalJsonRead,
} from './copy-local-json.ts';
import { documentShape, type DocumentShape, type LineShape } from './line-shape.ts';
import { quoteIdentifier } from '../../ports/index.ts';

interface Reader {
  query<T extends SqlRow = SqlRow>(sql: string, params?: Readonly<Record<string, string>>): Promise<T[]>;
}

/** The column of a read-ahead table of several files that says which file a record came from. */
const FILE = '"downbeat:file"';
/** The worker's reader rejects a document nested deeper (json-records.ts's default). */
const MAX_DEPTH = 1000;

/** A file to read with others, and its shape as the worker's reader sees it. */
interface ListedFile {
  readonly request: ObjectCopyRequest;
  readonly path: string;
  readonly fields: readonly string[];
  readonly shape: { readonly lines: LineShape } | { readonly documents: DocumentShape };
}

/**
 * Several local files read ahead at once (a range run's day files, a batch of a catalog's song
 * files): one `read_json` over the list, on all cores (DuckDB reads the files side by side), into
 * one table of the scratch database, each value turned into its column's type and checked as
 * prepareLocalJson checks it. NDJSON files: DuckDB keeps the list's order and each file's, so a
 * file's rows are consecutive in the table and a row's line is its place after the file's first.
 * Files of JSON documents (the `json` framing, pretty-printed or not): DuckDB reads them as the
 * worker's reader does, and loads those of one document, whose line is the one it starts on; a
 * file of several is declined (the worker numbers their lines). Each file is then loaded, or
 * declined, as a file read alone would be: its prepared read selects its own rows from the shared
 * table, which goes when the last of them is released. When DuckDB cannot read the list (a file
 * in it is not JSON, or an array), each half is read again, down to files read alone, so that
 * only the files it cannot read are declined.
 */
export async function prepareLocalJsonFiles(
  reader: Reader,
  requests: readonly ObjectCopyRequest[],
): Promise<Map<string, LocalJsonRead>> {
  const prepared = new Map<string, LocalJsonRead>();
  try {
    const first = requests[0];
    const candidates: Omit<ListedFile, 'shape'>[] = [];
    for (const request of requests) {
      const local = await localFile(request);
      // Only requests alike (one table, the same columns and framing) are read together; any other alone.
      if ('declined' in local || !first || !alike(request, first))
        prepared.set(request.key, await prepareLocalJson(reader, request));
      else candidates.push({ request, path: local.path, fields: local.fields });
    }
    // Each file's shape is read once, whatever halves of the list are read again.
    const files: ListedFile[] = [];
    for (const [i, shape] of (await Promise.all(candidates.map(shapeOf))).entries()) {
      const file = candidates[i];
      // A file that cannot be read to its end (it vanished, say) fails the stage, as it would alone.
      if ('failure' in shape) throw shape.failure;
      if (file) files.push({ ...file, shape });
    }
    await readTogether(reader, files, prepared);
    return prepared;
  } catch (error) {
    for (const read of prepared.values()) await read.release();
    throw error;
  }
}

/**
 * Reads the files as one list; where DuckDB cannot, each half, down to single files: an NDJSON
 * file then read alone (prepareLocalJson, which reads a small one twice), a file of documents
 * declined with DuckDB's reason.
 */
async function readTogether(
  reader: Reader,
  files: readonly ListedFile[],
  prepared: Map<string, LocalJsonRead>,
): Promise<void> {
  const [only] = files;
  if (files.length === 1 && only && only.request.framing !== 'json') {
    prepared.set(only.request.key, await prepareLocalJson(reader, only.request));
    return;
  }
  if (files.length === 0) return;
  const read = await readList(reader, files);
  if (!('error' in read)) {
    for (const [key, file] of read) prepared.set(key, file);
    return;
  }
  if (only && files.length === 1) {
    const reason = `DuckDB cannot read it as JSON documents: ${read.error}`;
    prepared.set(only.request.key, { declined: reason, release: () => Promise.resolve() });
    return;
  }
  const half = Math.ceil(files.length / 2);
  await readTogether(reader, files.slice(0, half), prepared);
  await readTogether(reader, files.slice(half), prepared);
}

/** One read of the list, each file prepared or declined; or why DuckDB cannot read it. */
async function readList(
  reader: Reader,
  files: readonly ListedFile[],
): Promise<Map<string, LocalJsonRead> | { error: string }> {
  const first = files[0]?.request;
  if (!first) return new Map();
  const table = scratchTable();
  const clear = `coalesce(${first.columns.map(clearSql).join(' AND ') || 'true'}, false)`;
  const list = `[${files.map((f) => sqlText(f.path)).join(', ')}]`;
  const format = first.framing === 'json' ? 'unstructured' : 'newline_delimited';
  const counted = await reader
    .query(
      `CREATE TABLE ${table} AS
       SELECT ${first.columns.map((c) => `${jsonValueSql(c)} AS ${quoteIdentifier(c.name)}`).join(', ')},
         ${clear} AS ${CLEAR}, ${FILE}
       FROM ${readJsonSql(list, files[0]?.fields ?? [], new Map(), `, filename = 'downbeat:file'`, format)}`,
    )
    .then(() =>
      reader.query<{ file: string; records: number; doubtful: number; first: number; ordered: boolean }>(
        `SELECT ${FILE} AS file, count(*) AS records, count(*) FILTER (WHERE NOT ${CLEAR}) AS doubtful,
           min(rowid) AS first, current_setting('preserve_insertion_order') AS ordered
         FROM ${table} GROUP BY 1`,
      ),
    )
    .catch((error: unknown) => ({ error: firstLine(error) }));
  const drop = () => reader.query(`DROP TABLE IF EXISTS ${table}`).then(() => undefined);
  if ('error' in counted) {
    await drop();
    return counted;
  }
  const byFile = new Map(counted.map((r) => [r.file, r]));
  // The setting is the reader's, whichever file's row says it (an empty file has none).
  const ordered = counted.some((r) => r.ordered === true);
  const prepared = new Map<string, LocalJsonRead>();
  const loadable: LoadableFile[] = [];
  for (const { request, path, shape } of files) {
    const row = byFile.get(path);
    const read = { records: Number(row?.records ?? 0), doubtful: Number(row?.doubtful ?? 0), ordered };
    const reason =
      'lines' in shape
        ? shapeProblem(shape.lines, read, request, true)
        : documentProblem(shape.documents, read, request);
    if (reason !== undefined) {
      prepared.set(request.key, { declined: reason, release: () => Promise.resolve() });
      continue;
    }
    loadable.push({
      key: request.key,
      path,
      records: read.records,
      first: 'lines' in shape ? Number(row?.first ?? 0) : (shape.documents.firstLine ?? 0),
    });
  }
  let held = loadable.length;
  const release = async () => {
    held -= 1;
    if (held === 0) await drop();
  };
  // An NDJSON record's line is its place in its file; a document's, the line it starts on.
  const line = first.framing === 'json' ? 'f.first' : 't.rowid + 1 - f.first';
  const batch = copyBatch(table, loadable, line);
  for (const file of loadable) prepared.set(file.key, { batch, lines: file.records, release });
  if (held === 0) await drop();
  return prepared;
}

function shapeOf(file: Omit<ListedFile, 'shape'>): Promise<ListedFile['shape'] | { failure: unknown }> {
  if (file.request.framing !== 'json')
    return objectShape(file.request).then((got) => ('failure' in got ? got : { lines: got.shape }));
  return file.request.store
    .get(file.request.key)
    .then(({ body }) => documentShape(body))
    .then(
      (documents) => ({ documents }),
      (error: unknown) => ({ failure: error }),
    );
}

/**
 * Why DuckDB's read of a file of JSON documents cannot be loaded as it is; undefined when it can:
 * DuckDB read one document (or none, of a file of white space), whose values are clear.
 */
function documentProblem(
  shape: DocumentShape,
  read: { readonly records: number; readonly doubtful: number },
  request: ObjectCopyRequest,
): string | undefined {
  if (shape.bytes > (request.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES))
    return 'it is longer than a record may be';
  if (shape.openers > MAX_DEPTH) return 'a document in it may nest deeper than a record may';
  if (read.records > 1) return `it holds ${read.records} documents, whose lines the worker's reader numbers`;
  if (read.records !== (shape.firstLine === undefined ? 0 : 1))
    return `DuckDB read ${read.records} document(s) of it`;
  if (read.doubtful > 0) return `${read.doubtful} record(s) need the worker's reader, to convert or reject`;
  return undefined;
}

interface LoadableFile {
  readonly key: string;
  readonly path: string;
  /** Records DuckDB read of it, each to be loaded. */
  readonly records: number;
  /** NDJSON: the table's rowid of its first record; JSON documents: the line its one document starts on. */
  readonly first: number;
}

/**
 * The files' load, in the copying transaction: when the first of them is copied, one INSERT loads
 * every file's records (each with its key, and its line: `line`, over the read-ahead table `t`
 * and the file's row `f`); a file the stage's reject rules reject
 * records of is deleted again and declined, to go through the worker's reader, as a file read
 * alone would be. Each file's copy then reports its own outcome.
 */
function copyBatch(table: string, files: readonly LoadableFile[], line: string): CopyBatch {
  let outcomes: Promise<Map<string, ObjectCopyOutcome>> | undefined;
  const load = async (tx: SqlSession, request: ObjectCopyRequest) => {
    const keyColumn = quoteIdentifier(request.keyColumn ?? '');
    const target = quoteIdentifier(request.table);
    const list = files.map((f) => `(${sqlText(f.path)}, ${sqlText(f.key)}, ${f.first})`).join(', ');
    const names = [...request.columns.map((c) => quoteIdentifier(c.name)), keyColumn];
    const values = [...request.columns.map((c) => `t.${quoteIdentifier(c.name)}`), 'f.object_key'];
    if (request.rankColumn) {
      names.push(quoteIdentifier(request.rankColumn));
      values.push(line);
    }
    const rejected = (request.rejectWhen ?? []).map((r) => `NOT coalesce((${r.condition}), false)`);
    await tx.execute(
      `INSERT INTO ${target} (${names.join(', ')})
       SELECT * FROM (SELECT ${values.map((v, i) => `${v} AS ${names[i]}`).join(', ')}
         FROM ${table} AS t JOIN (VALUES ${list}) AS f (path, object_key, first) ON t.${FILE} = f.path)
       WHERE ${rejected.join(' AND ') || 'true'}`,
    );
    const counted = await tx.query<{ k: string; n: number }>(
      `SELECT ${keyColumn} AS k, count(*) AS n FROM ${target}
       WHERE ${keyColumn} IN (${files.map((f) => sqlText(f.key)).join(', ')}) GROUP BY 1`,
    );
    const rows = new Map(counted.map((c) => [c.k, Number(c.n)]));
    const result = new Map<string, ObjectCopyOutcome>();
    for (const file of files) {
      const loaded = rows.get(file.key) ?? 0;
      if (loaded === file.records) {
        result.set(file.key, { rows: loaded, rejected: 0, rejects: [] });
        continue;
      }
      await tx.execute(`DELETE FROM ${target} WHERE ${keyColumn} = ${sqlText(file.key)}`);
      result.set(file.key, {
        declined: `${file.records - loaded} record(s) need the worker's reader, to reject`,
      });
    }
    return result;
  };
  return {
    async copy(tx, request) {
      outcomes ??= load(tx, request);
      return (await outcomes).get(request.key) ?? { declined: 'it was not read with the others' };
    },
  };
}

function alike(a: ObjectCopyRequest, b: ObjectCopyRequest): boolean {
  return (
    a.table === b.table &&
    (a.framing ?? 'ndjson') === (b.framing ?? 'ndjson') &&
    JSON.stringify(a.columns) === JSON.stringify(b.columns)
  );
}
