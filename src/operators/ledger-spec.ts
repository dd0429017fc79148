/**
 * What a DAG's stored spec (each task's kind and `describe()`) says about a run's ledger: the
 * objects each interval stage reads in an interval, and which data-quality checks reconcile two
 * counts. Read from the spec, so that a server that has not loaded the DAG's file reads the same.
 */
import type { DagSpec, DataInterval } from '../dag/index.ts';
import { intervalKeys } from './stage/index.ts';

type SpecTask = DagSpec['tasks'][number];

/** An interval stage as the spec describes it: where it reads, where it writes, which day files. */
export interface IntervalStage {
  readonly taskId: string;
  /** The object store's connection id. */
  readonly source: string;
  /** The warehouse's connection id. */
  readonly warehouse: string;
  readonly table: string;
  /** The day file's key template. */
  readonly key: string;
}

/** The DAG's stages of day files (a stage of a catalog reads no interval's objects, and is not named). */
export function intervalStagesOf(tasks: readonly SpecTask[]): IntervalStage[] {
  return tasks.flatMap((task) => {
    if (task.kind !== 'stage_json') return [];
    const { table, objects, source, warehouse } = task.config as {
      table?: unknown;
      source?: unknown;
      warehouse?: unknown;
      objects?: { every?: unknown; key?: unknown };
    };
    if (typeof table !== 'string' || objects?.every !== 'day' || typeof objects.key !== 'string') return [];
    if (typeof source !== 'string' || typeof warehouse !== 'string') return [];
    return [{ taskId: task.id, source, warehouse, table, key: objects.key }];
  });
}

/** The keys of the day files an interval stage reads in `interval`. */
export function stageKeysIn(stage: IntervalStage, interval: DataInterval): string[] {
  return intervalKeys({ every: 'day', key: stage.key }, interval);
}

/** Per staging table, the keys its interval stages read in `interval`. */
export function intervalObjectsOf(tasks: readonly SpecTask[], interval: DataInterval): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const stage of intervalStagesOf(tasks))
    keys.set(stage.table, [...(keys.get(stage.table) ?? []), ...stageKeysIn(stage, interval)]);
  return keys;
}

/**
 * The reconciliations among the DAG's data-quality checks: those whose expected value is measured
 * too (`expectedSql`, as checks.reconcile makes), as `task id` → check names (named as the
 * operator names them: by their place in the list when they have no name).
 */
export function reconciliationsOf(tasks: readonly SpecTask[]): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  for (const task of tasks) {
    if (task.kind !== 'data_quality') continue;
    const { checks } = task.config as { checks?: unknown };
    if (!Array.isArray(checks)) continue;
    const names = checks.flatMap((check: unknown, i) => {
      if (typeof check !== 'object' || check === null || !('expectedSql' in check)) return [];
      const name = 'name' in check && typeof check.name === 'string' ? check.name : `check ${i + 1}`;
      return [name];
    });
    if (names.length > 0) found.set(task.id, new Set(names));
  }
  return found;
}
