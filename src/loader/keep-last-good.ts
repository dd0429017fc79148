import type { Dag } from '../dag/index.ts';
import type { DagFolder } from './load-dag-folder.ts';

/**
 * A DAG folder loaded again, where a file that now fails to load keeps the DAGs it defined when it
 * last loaded (they go on being scheduled, its error is reported beside them), unless another file
 * defines them now. A file that is gone takes its DAGs with it.
 */
export function keepLastGood(previous: DagFolder, loaded: DagFolder): DagFolder {
  const dags = new Map<string, Dag>(loaded.dags);
  const files = new Map<string, string>(loaded.files);
  const failing = new Set(loaded.errors.map((e) => e.file));
  for (const [id, file] of previous.files) {
    const dag = previous.dags.get(id);
    if (!dag || !failing.has(file) || dags.has(id)) continue;
    dags.set(id, dag);
    files.set(id, file);
  }
  return { dags, files, errors: loaded.errors };
}

/** What changed between two loads of a folder, for the log. */
export function folderChanges(
  before: DagFolder,
  after: DagFolder,
  version: (dag: Dag) => string,
): { added: string[]; changed: string[]; removed: string[] } {
  const added = [...after.dags.keys()].filter((id) => !before.dags.has(id));
  const removed = [...before.dags.keys()].filter((id) => !after.dags.has(id));
  const changed = [...after.dags].filter(([id, dag]) => {
    const old = before.dags.get(id);
    return old !== undefined && old !== dag && version(old) !== version(dag);
  });
  return { added, changed: changed.map(([id]) => id), removed };
}
