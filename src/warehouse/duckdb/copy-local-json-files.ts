import type { ObjectCopyRequest, SqlRow } from '../../ports/index.ts';
import {
  CLEAR,
  clearSql,
  firstLine,
  jsonValueSql,
  localFile,
  prepareLocalJson,
  readJsonSql,
  scratchTable,
  shapeProblem,
  sqlText,
  type LocalJsonRead,
} from './copy-local-json.ts';
import { lineShape } from './line-shape.ts';
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
  const shapes = Promise.all(
    files.map(({ request }) =>
      request.store
        .get(request.key)
        .then(({ body }) => lineShape(body))
        .then(
          (shape) => ({ shape }),
          (error: unknown) => ({ failure: error }),
        ),
    ),
  );
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
        ordered: row?.ordered === true,
      },
      request,
      true,
    );
    if (reason !== undefined) {
      prepared.set(request.key, { declined: reason, release: () => Promise.resolve() });
      continue;
    }
    held += 1;
    prepared.set(request.key, {
      source: `(SELECT *, rowid + 1 - ${Number(row?.first ?? 0)} AS "downbeat:line" FROM ${table}
        WHERE ${FILE} = ${sqlText(path)}) AS one_file`,
      values: request.columns.map((c) => quoteIdentifier(c.name)),
      line: '"downbeat:line"',
      lines: got?.shape.lines ?? 0,
      release,
    });
  }
  if (held === 0) await drop();
  return prepared;
}

function sameColumns(a: ObjectCopyRequest, b: ObjectCopyRequest): boolean {
  return a.table === b.table && JSON.stringify(a.columns) === JSON.stringify(b.columns);
}
