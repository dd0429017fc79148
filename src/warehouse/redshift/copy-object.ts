import { createHash } from 'node:crypto';
import {
  quoteIdentifier,
  WarehouseError,
  type ObjectCopyRequest,
  type ObjectCopyResult,
  type ObjectStore,
  type SqlParams,
  type SqlSession,
} from '../../ports/index.ts';
import { copyStatement, jsonPathsFile, manifestFile, type CopyAuthorization } from './copy-statements.ts';

/** Where COPY's manifests and JSONPaths files are written, under the source store's root. */
export const COPY_FILES_PREFIX = '_downbeat/copy/';

/** The table each object is copied into first, in the transaction's session (temporary). */
const LANDING = 'downbeat_copy';

/** `s3://bucket/prefix/` of a store that is in S3; undefined for any other store. */
export function s3Root(store: ObjectStore): string | undefined {
  return /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/(?:[^?#]*\/)?$/.test(store.location)
    ? store.location
    : undefined;
}

export interface CopySettings {
  /** Throws a ConfigError saying what to configure when there are no credentials. */
  readonly authorization: () => CopyAuthorization;
  readonly region?: string;
}

/**
 * Loads one JSON object of an S3 store into a table: COPY (through a manifest naming exactly that
 * object, and a JSONPaths file generated from the columns) into a temporary table, then the rows
 * that pass `rejectWhen` into the table with their key and rank. Records COPY cannot read are
 * counted through STL_LOAD_ERRORS with their line. Everything but the two small files happens in
 * `tx`, so the caller's bookkeeping commits with the rows or not at all.
 */
export async function copyObject(
  tx: SqlSession,
  request: ObjectCopyRequest,
  settings: CopySettings,
): Promise<ObjectCopyResult> {
  const root = s3Root(request.store);
  if (!root) throw new WarehouseError(`Redshift cannot COPY from ${request.store.location}: not an S3 store`);
  const authorization = settings.authorization();
  const fields = request.columns.map((c) => c.field);
  const jsonPaths = jsonPathsFile(fields);
  const jsonPathsKey = `${COPY_FILES_PREFIX}${request.table}-${digest(jsonPaths)}.jsonpaths`;
  const manifestKey = `${COPY_FILES_PREFIX}${request.table}/${digest(request.key)}.manifest`;
  await ensureObject(request.store, jsonPathsKey, jsonPaths, root);
  await ensureObject(request.store, manifestKey, manifestFile([root + request.key]), root);

  const table = quoteIdentifier(request.table);
  const landing = quoteIdentifier(LANDING);
  const names = request.columns.map((c) => quoteIdentifier(c.name));
  await tx.execute(`CREATE TEMP TABLE ${landing} (LIKE ${table})`);
  const copy = copyStatement({
    table: LANDING,
    columns: request.columns.map((c) => c.name),
    manifestUrl: root + manifestKey,
    jsonPathsUrl: root + jsonPathsKey,
    authorization,
    region: settings.region,
    epochMillis: request.columns.some((c) => c.type === 'epoch_ms_timestamp'),
  });
  try {
    await tx.execute(copy);
  } catch (error) {
    throw copyFailure(error, root + request.key, authorization);
  }

  const kept = Math.max(0, Math.floor(request.rejectsKept));
  const unreadable = await tx.query<{ line: number; column_name: string; reason: string; total: number }>(
    `SELECT line_number AS line, TRIM(colname) AS column_name, TRIM(err_reason) AS reason, COUNT(*) OVER () AS total
     FROM stl_load_errors WHERE query = pg_last_copy_id() ORDER BY line_number LIMIT ${kept}`,
  );
  const rules = request.rejectWhen ?? [];
  const params: SqlParams = Object.fromEntries(rules.map((r, i) => [`reason_${i}`, r.reason]));
  const invalid =
    rules.length === 0
      ? []
      : await tx.query<{ reason: string; total: number }>(
          `SELECT reason, COUNT(*) OVER () AS total FROM (SELECT CASE ${rules
            .map((r, i) => `WHEN (${r.condition}) THEN CAST($reason_${i} AS VARCHAR(1024))`)
            .join(' ')} END AS reason FROM ${landing}) AS checked WHERE reason IS NOT NULL LIMIT ${kept}`,
          params,
        );

  const values = request.columns.map((c, i) =>
    c.emptyAsNull && c.type === 'text' ? `NULLIF(${names[i]}, '')` : (names[i] as string),
  );
  const targets = [...names];
  if (request.keyColumn) {
    targets.push(quoteIdentifier(request.keyColumn));
    values.push('CAST($source_key AS VARCHAR(1024))');
  }
  if (request.rankColumn) {
    targets.push(quoteIdentifier(request.rankColumn));
    values.push(`ROW_NUMBER() OVER (ORDER BY ${names.join(', ')})`);
  }
  const valid =
    rules.length === 0
      ? ''
      : ` WHERE NOT COALESCE(${rules.map((r) => `(${r.condition})`).join(' OR ')}, FALSE)`;
  const rows = await tx.execute(
    `INSERT INTO ${table} (${targets.join(', ')}) SELECT ${values.join(', ')} FROM ${landing}${valid}`,
    request.keyColumn ? { source_key: request.key } : {},
  );
  await tx.execute(`DROP TABLE ${landing}`);

  const rejects = [
    ...unreadable.map((r) => ({
      line: Number(r.line),
      reason: r.column_name ? `${r.column_name}: ${r.reason}` : r.reason,
    })),
    ...invalid.map((r) => ({ line: 0, reason: r.reason })),
  ].slice(0, kept);
  return {
    rows,
    rejected: Number(unreadable[0]?.total ?? 0) + Number(invalid[0]?.total ?? 0),
    rejects,
  };
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Writes a small file COPY reads, unless it is there: its name is its content's (or object's) digest. */
async function ensureObject(store: ObjectStore, key: string, content: string, root: string): Promise<void> {
  try {
    if (!(await store.stat(key))) await store.put(key, content);
  } catch (error) {
    throw new WarehouseError(
      `cannot write ${root}${key} (${(error as Error).message}): Redshift's COPY reads a manifest and a ` +
        `JSONPaths file from S3, written under ${root}${COPY_FILES_PREFIX}. Allow s3:PutObject there, ` +
        'or add copy=false to the redshift connection to stage through the worker',
      { cause: error },
    );
  }
}

/**
 * A COPY's failure without the statement (it holds the credentials): the engine's message and
 * detail, with any credential value that appears in them masked.
 */
function copyFailure(error: unknown, url: string, authorization: CopyAuthorization): WarehouseError {
  const engine = ((error as { cause?: unknown }).cause ?? error) as { message?: string; detail?: string };
  const secrets =
    'iamRole' in authorization
      ? []
      : [authorization.accessKeyId, authorization.secretAccessKey, authorization.sessionToken ?? ''].filter(
          (s) => s.length >= 4,
        );
  const mask = (text: string) => secrets.reduce((out, secret) => out.split(secret).join('***'), text);
  const detail = engine.detail ? ` (${mask(engine.detail.trim())})` : '';
  return new WarehouseError(`COPY of ${url} failed: ${mask(engine.message ?? String(error))}${detail}`);
}
