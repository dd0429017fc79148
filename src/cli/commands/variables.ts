import { deleteVariable, getVariable, listVariables, MASK, setVariable } from '../../store/admin/index.ts';
import { openMetadata } from '../../app/index.ts';
import type { Db } from '../../store/db/index.ts';
import { loadConfig } from '../../config/index.ts';
import { recordCliChange } from '../audit.ts';
import { parse, UsageError } from '../args.ts';
import { print, type CliIo } from '../context.ts';

export const help = `Usage: downbeat variables set KEY VALUE | get KEY | list [--json] | delete KEY

Variables: key/value configuration kept in the metadata DB, read by tasks through
context.variables.get(KEY). DOWNBEAT_VAR_<KEY> in a process's environment overrides the stored value.`;

async function withDb<T>(io: CliIo, work: (db: Db) => Promise<T>): Promise<T> {
  const config = loadConfig(io.env);
  const db = await openMetadata(config);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

const KEY = /^[A-Za-z0-9_.-]{1,250}$/;
function key(text: string | undefined): string {
  if (!text) throw new UsageError(`expected KEY\n\n${help}`);
  if (!KEY.test(text))
    throw new UsageError(`variable key "${text}" must be letters, digits, _ . or - (at most 250)`);
  return text;
}

export async function variablesSet(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parse(args, {});
  const [name, value, ...extra] = positionals;
  if (value === undefined || extra.length > 0) throw new UsageError(`expected KEY VALUE\n\n${help}`);
  await withDb(io, async (db) => {
    await setVariable(db, key(name), value, Date.now());
    // A variable may hold a secret (a task reads it at run time): its value is never in the log.
    await recordCliChange(db, io, 'variable.set', key(name), { value: MASK });
  });
  print(io.stdout, `${name} set`);
  return 0;
}

export async function variablesGet(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parse(args, {});
  const value = await withDb(io, (db) => getVariable(db, key(positionals[0])));
  if (value === undefined) {
    print(io.stderr, `downbeat: no variable "${positionals[0]}"`);
    return 1;
  }
  print(io.stdout, value);
  return 0;
}

export async function variablesList(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const rows = await withDb(io, (db) => listVariables(db));
  if (values.json)
    print(
      io.stdout,
      JSON.stringify(
        rows.map((r) => ({ key: r.key, value: r.value })),
        null,
        2,
      ),
    );
  else for (const row of rows) print(io.stdout, `${row.key}\t${row.value}`);
  return 0;
}

export async function variablesDelete(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parse(args, {});
  const deleted = await withDb(io, async (db) => {
    const gone = await deleteVariable(db, key(positionals[0]));
    if (gone) await recordCliChange(db, io, 'variable.delete', key(positionals[0]));
    return gone;
  });
  print(
    deleted ? io.stdout : io.stderr,
    deleted ? `${positionals[0]} deleted` : `downbeat: no variable "${positionals[0]}"`,
  );
  return deleted ? 0 : 1;
}
