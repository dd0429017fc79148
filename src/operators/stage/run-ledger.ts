/**
 * What a run read, from the staging bookkeeping: the objects it was pinned to
 * (_downbeat_run_objects), each with the rows and rejects its version staged
 * (_downbeat_staged_objects), the rows its staging table holds of it, and its rejected records
 * (_downbeat_rejects). Read by the API (the run's rejects and ledger), never by a task.
 */
import { quoteIdentifier, type Warehouse } from '../../ports/index.ts';
import { inList } from './sql-lists.ts';

/** What the reads need of a warehouse: statements of their own, and whether a table exists. */
export type BookkeepingReader = Pick<Warehouse, 'query' | 'tableColumns'>;

/**
 * Whose objects: those pinned to `runId`, and of a table named in `only`, only the keys listed
 * there (a range run's objects, narrowed to one covered interval's).
 */
export interface RunObjectScope {
  readonly runId: string;
  readonly only?: ReadonlyMap<string, readonly string[]>;
}

/** One staging table's share of a run's reads. */
export interface LedgerFigures {
  readonly table: string;
  /** Objects the run read whose staged version is still the one it read. */
  readonly objects: number;
  /** Records read from them (a line each in NDJSON), as the manifest counted them: rows + rejects. */
  readonly linesRead: number;
  /** Rows of those objects the staging table holds now, counted. */
  readonly rowsStaged: number;
  /** Records of those objects rejected, as the manifest counted them. */
  readonly rejected: number;
  /** Objects staged again since at another version (or forgotten): their figures are not the run's. */
  readonly restaged: number;
  /** Whether `scope.only` narrowed this table's objects. */
  readonly narrowed: boolean;
}

export interface RunReject {
  readonly table: string;
  readonly key: string;
  readonly line: number;
  readonly reason: string;
}

interface RunObject {
  readonly table: string;
  readonly key: string;
  /** The manifest's counts of the version the run read; undefined when another version is staged now. */
  readonly staged?: { readonly rows: number; readonly rejects: number };
}

/** Per staging table, in name order: what the run read, what is staged of it, and what was rejected. */
export async function runLedger(session: BookkeepingReader, scope: RunObjectScope): Promise<LedgerFigures[]> {
  const byTable = new Map<string, RunObject[]>();
  for (const o of await runObjects(session, scope))
    byTable.set(o.table, [...(byTable.get(o.table) ?? []), o]);
  const figures: LedgerFigures[] = [];
  for (const [table, objects] of byTable) {
    const current = objects.filter((o) => o.staged !== undefined);
    const rows = current.reduce((sum, o) => sum + (o.staged?.rows ?? 0), 0);
    const rejected = current.reduce((sum, o) => sum + (o.staged?.rejects ?? 0), 0);
    figures.push({
      table,
      objects: current.length,
      linesRead: rows + rejected,
      rowsStaged: await rowsOf(
        session,
        table,
        current.map((o) => o.key),
      ),
      rejected,
      restaged: objects.length - current.length,
      narrowed: scope.only?.has(table) ?? false,
    });
  }
  return figures.sort((a, b) => a.table.localeCompare(b.table));
}

/** A page of the run's rejected records, by table, object and line, and how many are kept in all. */
export async function runRejects(
  session: BookkeepingReader,
  scope: RunObjectScope,
  page: { readonly limit: number; readonly offset: number },
): Promise<{ items: RunReject[]; total: number }> {
  const current = (await runObjects(session, scope)).filter((o) => o.staged !== undefined);
  if (current.length === 0) return { items: [], total: 0 };
  const where = objectsWhere(current);
  const [count] = await session.query<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM _downbeat_rejects WHERE ${where.sql}`,
    where.params,
  );
  const rows = await session.query<{ table_name: string; object_key: string; line: number; reason: string }>(
    `SELECT table_name, object_key, line, reason FROM _downbeat_rejects WHERE ${where.sql}
     ORDER BY table_name, object_key, line LIMIT ${whole(page.limit)} OFFSET ${whole(page.offset)}`,
    where.params,
  );
  return {
    items: rows.map((r) => ({
      table: r.table_name,
      key: r.object_key,
      line: Number(r.line),
      reason: r.reason,
    })),
    total: Number(count?.n ?? 0),
  };
}

/** The run's objects in scope, with the manifest's counts where the version it read is still staged. */
async function runObjects(session: BookkeepingReader, scope: RunObjectScope): Promise<RunObject[]> {
  // A warehouse no stage has written yet has no bookkeeping: the run read nothing of it.
  if ((await session.tableColumns('_downbeat_run_objects')).length === 0) return [];
  const rows = await session.query<{
    table_name: string;
    object_key: string;
    staged_version: string | null;
    version: string;
    row_count: number | string | null;
    reject_count: number | string | null;
  }>(
    `SELECT o.table_name, o.object_key, o.version, s.version AS staged_version, s.row_count, s.reject_count
     FROM _downbeat_run_objects o LEFT JOIN _downbeat_staged_objects s
       ON s.table_name = o.table_name AND s.object_key = o.object_key
     WHERE o.run_id = $run_id ORDER BY o.table_name, o.object_key`,
    { run_id: scope.runId },
  );
  return rows
    .filter((r) => scope.only?.get(r.table_name)?.includes(r.object_key) ?? true)
    .map((r) => ({
      table: r.table_name,
      key: r.object_key,
      ...(r.staged_version === r.version
        ? { staged: { rows: Number(r.row_count ?? 0), rejects: Number(r.reject_count ?? 0) } }
        : {}),
    }));
}

/** The rows a staging table holds of these objects. */
async function rowsOf(session: BookkeepingReader, table: string, keys: readonly string[]): Promise<number> {
  if (keys.length === 0) return 0;
  const list = inList(keys, 'k');
  const [row] = await session.query<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM ${quoteIdentifier(table)} WHERE _source_key IN ${list.sql}`,
    list.params,
  );
  return Number(row?.n ?? 0);
}

/** SQL that holds for the rows of these objects, table by table, and its parameters. */
function objectsWhere(objects: readonly RunObject[]): { sql: string; params: Record<string, string> } {
  const tables = [...new Set(objects.map((o) => o.table))];
  const params: Record<string, string> = {};
  const parts = tables.map((table, t) => {
    const list = inList(
      objects.filter((o) => o.table === table).map((o) => o.key),
      `k${t}_`,
    );
    params[`t${t}`] = table;
    Object.assign(params, list.params);
    return `(table_name = $t${t} AND object_key IN ${list.sql})`;
  });
  return { sql: `(${parts.join(' OR ')})`, params };
}

function whole(n: number): number {
  return Math.max(0, Math.floor(n));
}
