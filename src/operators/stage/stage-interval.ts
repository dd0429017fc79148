import { TaskFailure, type TaskContext, type TaskOutcome } from '../../dag/index.ts';
import type { Warehouse } from '../../ports/index.ts';
import { ensureBookkeeping } from '../bookkeeping-tables.ts';
import { notYet } from '../sensors/index.ts';
import { intervalKeys } from './interval-keys.ts';
import { failOnRejects } from './reject-policy.ts';
import { pinRunObjects } from './run-objects.ts';
import type { IntervalObjects, ResolvedStageJson } from './stage-json-options.ts';
import { stageObjects } from './stage-objects.ts';
import { stagedObjects } from './staging-manifest.ts';

/**
 * Interval mode: stages the day files of the run's interval that are not staged at their current
 * version, one object per transaction under a lock of its own, then pins the run to them. A range
 * run's several day files, where the warehouse reads them ahead together (DuckDB, a local folder),
 * are staged in one transaction under all their locks, from one read of them all. A missing day
 * file fails the try (its data may be late), or, with waitForObjects, is waited for.
 */
export async function stageInterval(
  stage: ResolvedStageJson,
  context: TaskContext,
  objects: IntervalObjects,
): Promise<TaskOutcome> {
  const store = await context.connections.objectStore(stage.source);
  const warehouse = await context.connections.warehouse(stage.warehouseId);
  await ensureBookkeeping(warehouse);
  const keys = intervalKeys(objects, context.dataInterval);
  if (stage.wait?.runTypes.includes(context.runType)) {
    const missing: string[] = [];
    for (const key of keys) if (!(await store.stat(key))) missing.push(key);
    if (missing.length > 0) {
      const waiting = await notYet(
        stage.wait,
        context,
        `waiting for ${missing.join(', ')} in ${store.location}`,
      );
      if (waiting) return waiting;
    }
  }
  let written = 0;
  let stagedNow = 0; // objects staged by this run (an empty one adds no rows)
  if (keys.length > 1 && warehouse.prepareCopies) {
    const versions = new Map<string, string>();
    for (const key of keys) {
      const info = await store.stat(key);
      if (!info) throw missingObject(key, store.location);
      versions.set(key, info.version);
    }
    const locks = keys.map((key) => `stage:${stage.table}:${key}`).sort();
    written = await withLocks(warehouse, locks, async () => {
      const staged = await stagedObjects(warehouse, stage.table, keys);
      const todo = keys.filter((key) => staged.get(key)?.version !== versions.get(key));
      stagedNow = todo.length;
      return todo.length === 0 ? 0 : stageObjects(stage, context, store, warehouse, todo, versions);
    });
  } else {
    for (const key of keys) {
      const info = await store.stat(key);
      if (!info) throw missingObject(key, store.location);
      written += await warehouse.withLock(`stage:${stage.table}:${key}`, async () => {
        const staged = await stagedObjects(warehouse, stage.table, [key]);
        if (staged.get(key)?.version === info.version) return 0;
        stagedNow += 1;
        return stageObjects(stage, context, store, warehouse, [key], new Map([[key, info.version]]));
      });
    }
  }
  // Later tasks join these rows: a planner that still believes the table empty plans them badly.
  if (written > 0) await warehouse.refreshStatistics?.(stage.table);
  await pinRunObjects(warehouse, context.runId, stage.table, keys);
  const staged = await stagedObjects(warehouse, stage.table, keys);
  const rejected = await failOnRejects(
    stage,
    warehouse,
    [...staged.values()].reduce((sum, o) => sum + o.rejects, 0),
    keys,
    written,
  );
  const available = [...staged.values()].reduce((sum, o) => sum + o.rows, 0);
  return {
    rowsWritten: { [stage.table]: written },
    summary:
      `${keys.length} object(s) for the interval, ${available} row(s) staged` +
      (stagedNow === 0 ? ' (already staged)' : `, ${written} now`) +
      (rejected > 0 ? `, ${rejected} rejected` : ''),
  };
}

function missingObject(key: string, location: string): TaskFailure {
  return new TaskFailure(
    'source_missing',
    `${key} not found in ${location}: the data for this interval may be late`,
  );
}

/** Holds every lock (taken in the order given) while `work` runs. */
function withLocks<T>(warehouse: Warehouse, names: readonly string[], work: () => Promise<T>): Promise<T> {
  const [first, ...rest] = names;
  if (first === undefined) return work();
  return warehouse.withLock(first, () => withLocks(warehouse, rest, work));
}
