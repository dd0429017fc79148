import type { BackfillState } from '../../lifecycle/index.ts';
import type { Db } from '../db/index.ts';
import type { DagRow } from '../runs/index.ts';

export async function importErrors(db: Db): Promise<{ file: string; message: string; updated_at: number }[]> {
  return db.query('SELECT file, message, updated_at FROM dag_import_errors ORDER BY file');
}

export async function listDagRows(db: Db): Promise<DagRow[]> {
  return db.query('SELECT * FROM dags ORDER BY dag_id');
}

export interface BackfillRow {
  readonly id: number;
  readonly dag_id: string;
  readonly start_date: number;
  readonly end_date: number;
  readonly reprocess: string;
  readonly max_active_runs: number;
  /** 0: every interval in one range run ('all'). */
  readonly max_intervals_per_run: number;
  readonly state: BackfillState;
  readonly created_at: number;
  readonly ended_at: number | null;
}

/** Backfills, newest first; of one DAG when `dagId` is given. */
export async function listBackfills(
  db: Db,
  dagId: string | undefined,
  limit: number,
): Promise<BackfillRow[]> {
  return dagId === undefined
    ? db.query<BackfillRow>(`SELECT * FROM backfills ORDER BY id DESC LIMIT ${limit}`)
    : db.query<BackfillRow>(`SELECT * FROM backfills WHERE dag_id = $1 ORDER BY id DESC LIMIT ${limit}`, [
        dagId,
      ]);
}

export async function findBackfill(db: Db, id: number): Promise<BackfillRow | undefined> {
  const [row] = await db.query<BackfillRow>('SELECT * FROM backfills WHERE id = $1', [id]);
  return row;
}

export interface BackfillProgress {
  readonly id: number;
  readonly state: string;
  readonly total: number;
  readonly success: number;
  readonly failed: number;
  readonly running: number;
  readonly queued: number;
}

export async function backfillProgress(db: Db, id: number): Promise<BackfillProgress | undefined> {
  const [backfill] = await db.query<{ state: string }>('SELECT state FROM backfills WHERE id = $1', [id]);
  if (!backfill) return undefined;
  const counts = new Map(
    (
      await db.query<{ state: string; n: number }>(
        "SELECT state, COUNT(*) AS n FROM dag_runs WHERE backfill_id = $1 AND kind = 'interval' GROUP BY state",
        [id],
      )
    ).map((r) => [r.state, Number(r.n)]),
  );
  const get = (s: string) => counts.get(s) ?? 0;
  return {
    id,
    state: backfill.state,
    total: [...counts.values()].reduce((a, b) => a + b, 0),
    success: get('success'),
    failed: get('failed'),
    running: get('running'),
    queued: get('queued'),
  };
}
