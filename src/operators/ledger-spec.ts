/**
 * What a DAG's stored spec (each task's kind and `describe()`) says about a run's ledger: the
 * objects each interval stage reads in an interval, and which data-quality checks reconcile two
 * counts. Read from the spec, so that a server that has not loaded the DAG's file reads the same.
 */
import type { DagSpec, DataInterval } from '../dag/index.ts';
import { intervalKeys } from './stage/index.ts';

type SpecTask = DagSpec['tasks'][number];

/**
 * Per staging table, the keys its interval stage reads in `interval` (a stage of a catalog reads
 * no interval's objects, and is not named).
 */
export function intervalObjectsOf(tasks: readonly SpecTask[], interval: DataInterval): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const task of tasks) {
    if (task.kind !== 'stage_json') continue;
    const { table, objects } = task.config as {
      table?: unknown;
      objects?: { every?: unknown; key?: unknown };
    };
    if (typeof table !== 'string' || objects?.every !== 'day' || typeof objects.key !== 'string') continue;
    keys.set(table, [
      ...(keys.get(table) ?? []),
      ...intervalKeys({ every: 'day', key: objects.key }, interval),
    ]);
  }
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
