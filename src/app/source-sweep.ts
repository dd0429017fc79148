/**
 * The source-lineage sweep (issue #19): for each DAG's day-file stages, the versions its succeeded
 * runs read (the warehouse's _downbeat_run_objects) are compared with the source store's now; a
 * run that read a version the store no longer holds (replaced, or removed) is marked stale in the
 * metadata DB. Run by `downbeat sources check` and by the scheduler once an hour.
 */
import { dagSpec, type ConnectionResolver, type Dag } from '../dag/index.ts';
import type { ObjectStore } from '../ports/index.ts';
import { intervalStagesOf, pinnedObjects, stageKeysIn, type IntervalStage } from '../operators/index.ts';
import type { Db } from '../store/db/index.ts';
import { markStale, succeededRuns, type ChangedObject, type SucceededRun } from '../store/runs/index.ts';

export interface SourceSweepOptions {
  readonly db: Db;
  readonly dags: ReadonlyMap<string, Dag>;
  readonly connectionsFor: (dag: Dag) => ConnectionResolver;
  readonly now: number;
  /** Only this DAG. @default every DAG */
  readonly dagId?: string;
  /** Runs read from the metadata DB (and looked up in the warehouse) at a time. @default 500 */
  readonly batchSize?: number;
}

/** A run the sweep marked stale now, and what it read that changed. */
export interface StaleMark {
  readonly runId: string;
  readonly logicalDate: number;
  readonly objects: readonly ChangedObject[];
}

export interface DagSweep {
  readonly dagId: string;
  /** Succeeded interval runs looked at (stale ones are not looked at again). */
  readonly runsChecked: number;
  /** Distinct source objects stat'ed. */
  readonly objectsChecked: number;
  /** Runs marked stale by this sweep, in logical-date order. */
  readonly marked: readonly StaleMark[];
  /** Succeeded runs that were stale already. */
  readonly alreadyStale: number;
}

/** Sweeps every DAG (or `dagId`) with an interval stage; DAGs without one are not listed. */
export async function sweepSources(options: SourceSweepOptions): Promise<DagSweep[]> {
  const dags = [...options.dags.values()].filter(
    (d) => options.dagId === undefined || d.id === options.dagId,
  );
  const swept: DagSweep[] = [];
  for (const dag of dags) {
    const stages = intervalStagesOf(dagSpec(dag).tasks);
    if (stages.length > 0) swept.push(await sweepDag(options, dag, stages));
  }
  return swept;
}

async function sweepDag(
  options: SourceSweepOptions,
  dag: Dag,
  stages: readonly IntervalStage[],
): Promise<DagSweep> {
  const connections = options.connectionsFor(dag);
  // Each object is stat'ed once per sweep, however many runs read it: source id + key → version.
  const current = new Map<string, Promise<string | null>>();
  const versionNow = (store: ObjectStore, source: string, key: string) => {
    const id = `${source}\u0000${key}`;
    let version = current.get(id);
    if (!version) {
      version = store.stat(key).then((info) => info?.version ?? null);
      current.set(id, version);
    }
    return version;
  };
  const marked: StaleMark[] = [];
  let runsChecked = 0;
  let alreadyStale = 0;
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const runs = await succeededRuns(options.db, dag.id, after, options.batchSize ?? 500);
    const last = runs[runs.length - 1];
    if (!last) break;
    after = last.logicalDate;
    const fresh = runs.filter((r) => !r.stale);
    alreadyStale += runs.length - fresh.length;
    runsChecked += fresh.length;
    const changes = new Map<SucceededRun, ChangedObject[]>();
    for (const stage of stages) {
      const warehouse = await connections.warehouse(stage.warehouse);
      const store = await connections.objectStore(stage.source);
      const pinned = await pinnedObjects(warehouse, stage.table, [...new Set(fresh.map((r) => r.readRunId))]);
      for (const run of fresh) {
        const objects = pinned.get(run.readRunId);
        if (!objects) continue;
        // A range run's pins cover its whole range: the interval's own day files are its reads.
        const interval = { start: new Date(run.intervalStart), end: new Date(run.intervalEnd) };
        for (const key of stageKeysIn(stage, interval)) {
          const read = objects.get(key);
          if (read === undefined) continue;
          const now = await versionNow(store, stage.source, key);
          if (now === read) continue;
          changes.set(run, [...(changes.get(run) ?? []), { table: stage.table, key, read, now }]);
        }
      }
    }
    for (const [run, objects] of changes)
      if (await markStale(options.db, run.id, objects, options.now))
        marked.push({ runId: run.runId, logicalDate: run.logicalDate, objects });
      else alreadyStale += 1;
  }
  return { dagId: dag.id, runsChecked, objectsChecked: current.size, marked, alreadyStale };
}
