import type { ObjectCopyOutcome, ObjectCopyRequest, SqlRow, SqlSession } from '../../ports/index.ts';
import {
  CLEAR,
  clearSql,
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
import { quoteIdentifier } from '../../ports/index.ts';

interface Reader {
  query<T extends SqlRow = SqlRow>(sql: string, params?: Readonly<Record<string, string>>): Promise<T[]>;
}

/** The column of a read-ahead table of several files that says which file a record came from. */
const FILE = '"downbeat:file"';

/**
 * Several local NDJSON files read ahead at once (a range run's day files): one `read_json` over
 * the list, on all cores (DuckDB reads the files side by side), into one table of the scratch
 * database, each value turned into its column's type and checked as prepareLocalJson checks it.
 * DuckDB keeps the list's order and each file's, so a file's rows are consecutive in the table and
 * a row's line is its place after the file's first. Each file is then loaded, or declined, as a
 * file read alone would be: its prepared read selects its own rows from the shared table, which
 * goes when the last of them is released. When DuckDB cannot read the list (one file is not
 * NDJSON), each file is read alone, so that only that one is declined.
 */
export async function prepareLocalJsonFiles(
  reader: Reader,
  requests: readonly ObjectCopyRequest[],
): Promise<Map<string, LocalJsonRead>> {
  const prepared = new Map<string, LocalJsonRead>();
  const alone = async (request: ObjectCopyRequest) =>
    prepared.set(request.key, await prepareLocalJson(reader, request));
  const first = requests[0];
  const files: { request: ObjectCopyRequest; path: string }[] = [];
  let fields: string[] = [];
  for (const request of requests) {
    const local = await localFile(request);
    // Only requests alike (one table, the same columns) are read together; any other alone.
    if ('declined' in local || !first || !sameColumns(request, first)) await alone(request);
    else {
      files.push({ request, path: local.path });
      fields = local.fields;
    }
  }
  if (files.length < 2 || !first) {
    for (const { request } of files) await alone(request);
    return prepared;
  }
  const table = scratchTable();
  const clear = `coalesce(${first.columns.map(clearSql).join(' AND ') || 'true'}, false)`;
  const list = `[${files.map((f) => sqlText(f.path)).join(', ')}]`;
  const read = reader
    .query(
      `CREATE TABLE ${table} AS
       SELECT ${first.columns.map((c) => `${jsonValueSql(c)} AS ${quoteIdentifier(c.name)}`).join(', ')},
         ${clear} AS ${CLEAR}, ${FILE}
       FROM ${readJsonSql(list, fields, new Map(), `, filename = 'downbeat:file'`)}`,
    )
    .then(() =>
      reader.query<{ file: string; records: number; doubtful: number; first: number; ordered: boolean }>(
        `SELECT ${FILE} AS file, count(*) AS records, count(*) FILTER (WHERE NOT ${CLEAR}) AS doubtful,
           min(rowid) AS first, current_setting('preserve_insertion_order') AS ordered
         FROM ${table} GROUP BY 1`,
      ),
    )
    .then(
      (rows) => ({ rows }),
      (error: unknown) => ({ error: firstLine(error) }),
    );
  const shapes = Promise.all(files.map(({ request }) => objectShape(request)));
  const [counted, shaped] = await Promise.all([read, shapes]);
  const drop = () => reader.query(`DROP TABLE IF EXISTS ${table}`).then(() => undefined);
  if ('error' in counted) {
    await drop();
    for (const { request } of files) await alone(request);
    return prepared;
  }
  const byFile = new Map(counted.rows.map((r) => [r.file, r]));
  let held = 0;
  const release = async () => {
    held -= 1;
    if (held === 0) await drop();
  };
  const loadable: LoadableFile[] = [];
  for (const [i, { request, path }] of files.entries()) {
    const got = shaped[i];
    // A file that cannot be read to its end (it vanished, say) fails the stage, as it would alone.
    if (got && 'failure' in got) {
      await drop();
      for (const p of prepared.values()) await p.release();
      throw got.failure;
    }
    const row = byFile.get(path);
    const reason = shapeProblem(
      got?.shape ?? { lines: 0, longestLine: 0 },
      {
        records: Number(row?.records ?? 0),
        doubtful: Number(row?.doubtful ?? 0),
        // The setting is the reader's, whichever file's row says it (an empty file has none).
        ordered: counted.rows.some((r) => r.ordered === true),
      },
      request,
      true,
    );
    if (reason !== undefined) {
      prepared.set(request.key, { declined: reason, release: () => Promise.resolve() });
      continue;
    }
    held += 1;
    loadable.push({ key: request.key, path, first: Number(row?.first ?? 0), lines: got?.shape.lines ?? 0 });
  }
  const batch = copyBatch(table, loadable);
  for (const file of loadable) prepared.set(file.key, { batch, lines: file.lines, release });
  if (held === 0) await drop();
  return prepared;
}

interface LoadableFile {
  readonly key: string;
  readonly path: string;
  /** The table's rowid of the file's first record. */
  readonly first: number;
  readonly lines: number;
}

/**
 * The files' load, in the copying transaction: when the first of them is copied, one INSERT loads
 * every file's records (each with its key and line); a file the stage's reject rules reject
 * records of is deleted again and declined, to go through the worker's reader, as a file read
 * alone would be. Each file's copy then reports its own outcome.
 */
function copyBatch(table: string, files: readonly LoadableFile[]): CopyBatch {
  let outcomes: Promise<Map<string, ObjectCopyOutcome>> | undefined;
  const load = async (tx: SqlSession, request: ObjectCopyRequest) => {
    const keyColumn = quoteIdentifier(request.keyColumn ?? '');
    const target = quoteIdentifier(request.table);
    const list = files.map((f) => `(${sqlText(f.path)}, ${sqlText(f.key)}, ${f.first})`).join(', ');
    const names = [...request.columns.map((c) => quoteIdentifier(c.name)), keyColumn];
    const values = [...request.columns.map((c) => `t.${quoteIdentifier(c.name)}`), 'f.object_key'];
    if (request.rankColumn) {
      names.push(quoteIdentifier(request.rankColumn));
      values.push('t.rowid + 1 - f.first_row');
    }
    const rejected = (request.rejectWhen ?? []).map((r) => `NOT coalesce((${r.condition}), false)`);
    await tx.execute(
      `INSERT INTO ${target} (${names.join(', ')})
       SELECT * FROM (SELECT ${values.map((v, i) => `${v} AS ${names[i]}`).join(', ')}
         FROM ${table} AS t JOIN (VALUES ${list}) AS f (path, object_key, first_row) ON t.${FILE} = f.path)
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
      if (loaded === file.lines) {
        result.set(file.key, { rows: loaded, rejected: 0, rejects: [] });
        continue;
      }
      await tx.execute(`DELETE FROM ${target} WHERE ${keyColumn} = ${sqlText(file.key)}`);
      result.set(file.key, {
        declined: `${file.lines - loaded} record(s) need the worker's reader, to reject`,
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

function sameColumns(a: ObjectCopyRequest, b: ObjectCopyRequest): boolean {
  return a.table === b.table && JSON.stringify(a.columns) === JSON.stringify(b.columns);
}
