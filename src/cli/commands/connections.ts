import { loadConfig } from '../../config/index.ts';
import { envName, maskUri, SecretBox } from '../../connections/index.ts';
import { deleteConnection, listConnections, putConnection } from '../../store/admin/index.ts';
import { openMetadata } from '../../app/index.ts';
import type { Db } from '../../store/db/index.ts';
import { recordCliChange } from '../audit.ts';
import { parse, UsageError } from '../args.ts';
import { print, type CliIo } from '../context.ts';

export const help = `Usage: downbeat connections add ID --uri URI
       downbeat connections list [--json]
       downbeat connections delete ID

Connections kept in the metadata DB, their URIs encrypted with a key derived from
DOWNBEAT_SECRET_KEY (when unset, a key generated once into DOWNBEAT_HOME/secret.key). A
DOWNBEAT_CONN_<ID> variable overrides a stored connection. Listings never show a password.
  --uri URI        e.g. file:///data/sparkify, duckdb:///path.duckdb, postgres://user:pass@host/db
  --conn-uri URI   the same (Airflow's spelling)`;

const ID = /^[A-Za-z0-9_.-]{1,250}$/;

async function withDb<T>(io: CliIo, work: (db: Db, box: () => SecretBox) => Promise<T>): Promise<T> {
  const config = loadConfig(io.env);
  const db = await openMetadata(config);
  try {
    return await work(db, () => SecretBox.fromConfig(config.env.DOWNBEAT_SECRET_KEY, config.home));
  } finally {
    await db.close();
  }
}

export async function connectionsAdd(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { uri: { type: 'string' }, 'conn-uri': { type: 'string' } });
  const [id, ...extra] = positionals;
  if (!id || extra.length > 0) throw new UsageError(`expected ID\n\n${help}`);
  if (!ID.test(id)) throw new UsageError(`connection id "${id}" must be letters, digits, _ . or -`);
  const uri = values.uri ?? values['conn-uri'];
  if (!uri) throw new UsageError('--uri is required');
  if (!/^[a-z][a-z0-9+.-]*:/i.test(uri))
    throw new UsageError('--uri must be a URI with a scheme, e.g. file:///data or postgres://host/db');
  await withDb(io, async (db, box) => {
    await putConnection(db, id, box().seal(uri), Date.now());
    // The store masks the URI's password and secret parameters.
    await recordCliChange(db, io, 'connection.add', id, { connection_id: id, uri });
  });
  print(io.stdout, `connection ${id} saved: ${maskUri(uri)}`);
  if (io.env[envName(id)])
    print(io.stderr, `note: ${envName(id)} is set in this environment and overrides it`);
  return 0;
}

export async function connectionsList(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const rows = await withDb(io, async (db, box) =>
    (await listConnections(db)).map((row) => {
      let uri: string;
      try {
        uri = maskUri(box().open(row.uri_encrypted, `connection "${row.conn_id}"`));
      } catch (error) {
        uri = `(${(error as Error).message})`;
      }
      return { conn_id: row.conn_id, uri };
    }),
  );
  if (values.json) print(io.stdout, JSON.stringify(rows, null, 2));
  else for (const row of rows) print(io.stdout, `${row.conn_id}\t${row.uri}`);
  return 0;
}

export async function connectionsDelete(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parse(args, {});
  const [id] = positionals;
  if (!id) throw new UsageError(`expected ID\n\n${help}`);
  const deleted = await withDb(io, async (db) => {
    const gone = await deleteConnection(db, id);
    if (gone) await recordCliChange(db, io, 'connection.delete', id);
    return gone;
  });
  print(
    deleted ? io.stdout : io.stderr,
    deleted ? `connection ${id} deleted` : `downbeat: no connection "${id}"`,
  );
  return deleted ? 0 : 1;
}
