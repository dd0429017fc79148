import { deletePool, listPools, POOL_NAME, PoolError, setPool } from '../../store/admin/index.ts';
import { openMetadata } from '../../app/index.ts';
import type { Db } from '../../store/db/index.ts';
import { loadConfig } from '../../config/index.ts';
import { recordCliChange } from '../audit.ts';
import { parse, UsageError } from '../args.ts';
import { print, type CliIo } from '../context.ts';

export const help = `Usage: downbeat pools set NAME SLOTS [--description TEXT] | list [--json] | delete NAME

Pools (Airflow's): at most SLOTS task instances of a pool run at once, across every worker and
machine. A task names its pool with the task setting \`pool\` (and takes \`poolSlots\` of it,
default 1); a task that names none is in default_pool (128 slots, which \`pools set\` can change,
and which cannot be deleted). A task whose pool does not exist fails when it is due, naming it.`;

async function withDb<T>(io: CliIo, work: (db: Db) => Promise<T>): Promise<T> {
  const db = await openMetadata(loadConfig(io.env));
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

function poolName(text: string | undefined): string {
  if (!text) throw new UsageError(`expected NAME\n\n${help}`);
  if (!POOL_NAME.test(text))
    throw new UsageError(`pool name "${text}" must be letters, digits, _ . or - (at most 250)`);
  return text;
}

export async function poolsSet(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals, values } = parse(args, { description: { type: 'string' } });
  const [name, slotsText, ...extra] = positionals;
  if (slotsText === undefined || extra.length > 0) throw new UsageError(`expected NAME SLOTS\n\n${help}`);
  const slots = Number(slotsText);
  if (!/^\d+$/.test(slotsText) || !Number.isSafeInteger(slots)) {
    throw new UsageError(`SLOTS must be a whole number ≥ 0, got "${slotsText}"`);
  }
  const description = typeof values.description === 'string' ? values.description : undefined;
  await withDb(io, async (db) => {
    await setPool(db, poolName(name), slots, description, Date.now());
    await recordCliChange(db, io, 'pool.set', poolName(name), { slots, description });
  });
  print(io.stdout, `pool ${name} set to ${slots} slot(s)`);
  return 0;
}

export async function poolsList(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const pools = await withDb(io, (db) => listPools(db));
  if (values.json) {
    print(io.stdout, JSON.stringify(pools, null, 2));
    return 0;
  }
  print(io.stdout, 'NAME\tSLOTS\tRUNNING\tQUEUED\tOPEN\tDESCRIPTION');
  for (const p of pools)
    print(
      io.stdout,
      `${p.name}\t${p.slots}\t${p.running_slots}\t${p.queued_slots}\t${p.open_slots}\t${p.description}`,
    );
  return 0;
}

export async function poolsDelete(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parse(args, {});
  const name = poolName(positionals[0]);
  try {
    const deleted = await withDb(io, async (db) => {
      const gone = await deletePool(db, name);
      if (gone) await recordCliChange(db, io, 'pool.delete', name);
      return gone;
    });
    print(deleted ? io.stdout : io.stderr, deleted ? `pool ${name} deleted` : `downbeat: no pool "${name}"`);
    return deleted ? 0 : 1;
  } catch (error) {
    if (!(error instanceof PoolError)) throw error;
    print(io.stderr, `downbeat: ${error.message}`);
    return 1;
  }
}
