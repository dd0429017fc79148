import type { Dag } from '../../dag/index.ts';
import type { DagLoadError } from '../../loader/index.ts';
import type { Db } from '../db/index.ts';
import { specAndVersion } from './dag-version.ts';

export interface DagRow {
  readonly dag_id: string;
  readonly file: string;
  readonly spec: string;
  readonly schedule: string | null;
  readonly timezone: string;
  readonly start_date: number;
  readonly catchup: number;
  readonly max_active_runs: number;
  readonly is_paused: number;
  readonly is_active: number;
  readonly updated_at: number;
  /** A hash of `spec`: new whenever the DAG's definition changes. */
  readonly version: string;
}

/**
 * Writes the DAG folder's DAGs and load errors into the metadata DB, as every process does at
 * start. A DAG seen for the first time is paused (as Airflow does); a DAG no longer in the folder
 * is marked inactive, its history kept.
 */
export async function syncDags(
  db: Db,
  folder: {
    dags: ReadonlyMap<string, Dag>;
    files: ReadonlyMap<string, string>;
    errors: readonly DagLoadError[];
  },
  now: number,
): Promise<void> {
  await db.transaction(async (tx) => {
    for (const dag of folder.dags.values()) {
      const { spec, version } = specAndVersion(dag);
      const values = [
        dag.id,
        folder.files.get(dag.id) ?? '',
        spec,
        dag.schedule?.expression ?? null,
        dag.schedule?.timezone ?? 'UTC',
        dag.startDate.getTime(),
        dag.catchup ? 1 : 0,
        dag.maxActiveRuns,
        now,
        version,
      ];
      await tx.execute(
        `INSERT INTO dags (dag_id, file, spec, schedule, timezone, start_date, catchup, max_active_runs, is_paused, is_active, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, 1, $9, $10)
         ON CONFLICT (dag_id) DO UPDATE SET file = excluded.file, spec = excluded.spec, schedule = excluded.schedule,
           timezone = excluded.timezone, start_date = excluded.start_date, catchup = excluded.catchup,
           max_active_runs = excluded.max_active_runs, is_active = 1, updated_at = excluded.updated_at,
           version = excluded.version`,
        values,
      );
    }
    const ids = [...folder.dags.keys()];
    await tx.execute(
      `UPDATE dags SET is_active = 0 WHERE is_active = 1${ids.length ? ` AND dag_id NOT IN (${ids.map((_, i) => `$${i + 1}`).join(', ')})` : ''}`,
      ids,
    );
    await tx.execute('DELETE FROM dag_import_errors');
    for (const error of folder.errors) {
      await tx.execute('INSERT INTO dag_import_errors (file, message, updated_at) VALUES ($1, $2, $3)', [
        error.file,
        error.message,
        now,
      ]);
    }
  });
}

export async function getDagRow(db: Db, dagId: string): Promise<DagRow | undefined> {
  const [row] = await db.query<DagRow & Record<string, unknown>>('SELECT * FROM dags WHERE dag_id = $1', [
    dagId,
  ]);
  return row;
}

export async function setPaused(db: Db, dagId: string, paused: boolean): Promise<boolean> {
  return (await db.execute('UPDATE dags SET is_paused = $1 WHERE dag_id = $2', [paused ? 1 : 0, dagId])) > 0;
}
