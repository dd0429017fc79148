import type { TaskContext } from '../../dag/index.ts';
import type {
  ObjectCopyOutcome,
  ObjectCopyRequest,
  ObjectStore,
  PreparedCopy,
  SqlSession,
  Warehouse,
} from '../../ports/index.ts';
import type { ResolvedStageJson } from './stage-json-options.ts';
import {
  forgetObjects,
  recordObjects,
  REJECTS_KEPT_PER_OBJECT,
  type Reject,
  type StagedObject,
} from './staging-manifest.ts';
import { streamObjects } from './stream-objects.ts';

type Copier = (
  tx: SqlSession,
  request: ObjectCopyRequest,
  prepared?: PreparedCopy,
) => Promise<ObjectCopyOutcome>;

/**
 * Stages these objects (at these versions) in one transaction; returns rows loaded. A warehouse
 * that reads the store itself loads each object server-side, in the same transaction as the
 * bookkeeping, having read it ahead of the transaction where it can (prepareCopy); the rest (all,
 * for other warehouses) stream through here.
 */
export async function stageObjects(
  stage: ResolvedStageJson,
  context: TaskContext,
  store: ObjectStore,
  warehouse: Warehouse,
  keys: readonly string[],
  versions: ReadonlyMap<string, string>,
): Promise<number> {
  const copy = copierFor(stage, warehouse, store);
  // Read ahead of the transaction where the warehouse can: no writer's turn is held meanwhile.
  const prepared = new Map<string, PreparedCopy>();
  try {
    if (copy && warehouse.prepareCopies && keys.length > 1) {
      context.signal.throwIfAborted();
      for (const [key, read] of await warehouse.prepareCopies(keys.map((k) => copyRequest(stage, store, k))))
        prepared.set(key, read);
    } else if (copy && warehouse.prepareCopy) {
      for (const key of keys) {
        context.signal.throwIfAborted();
        prepared.set(key, await warehouse.prepareCopy(copyRequest(stage, store, key)));
      }
    }
    return await stageInTransaction(stage, context, store, warehouse, keys, versions, copy, prepared);
  } finally {
    await Promise.all([...prepared.values()].map((p) => p.release()));
  }
}

/** The warehouse's own loader for this store, when this stage may use it. */
function copierFor(stage: ResolvedStageJson, warehouse: Warehouse, store: ObjectStore): Copier | undefined {
  if (!stage.copyAllowed || !warehouse.copyFromObjectStore || !warehouse.canCopyFrom?.(store))
    return undefined;
  return (tx, request, prepared) =>
    warehouse.copyFromObjectStore?.(tx, request, prepared) ??
    Promise.reject(new Error(`${warehouse.location} stopped offering to copy`));
}

/** What the warehouse's own loader is asked to load of one object. */
function copyRequest(stage: ResolvedStageJson, store: ObjectStore, key: string): ObjectCopyRequest {
  return {
    store,
    key,
    table: stage.table,
    columns: stage.copyColumns,
    keyColumn: '_source_key',
    rankColumn: '_source_line',
    rejectWhen: stage.rejectWhen,
    rejectsKept: REJECTS_KEPT_PER_OBJECT,
    maxRecordBytes: stage.maxRecordBytes,
    framing: stage.framing,
  };
}

function stageInTransaction(
  stage: ResolvedStageJson,
  context: TaskContext,
  store: ObjectStore,
  warehouse: Warehouse,
  keys: readonly string[],
  versions: ReadonlyMap<string, string>,
  copy: Copier | undefined,
  prepared: ReadonlyMap<string, PreparedCopy>,
): Promise<number> {
  return warehouse.transaction(async (tx) => {
    await forgetObjects(tx, stage.table, stage.quotedTable, keys);
    const staged: StagedObject[] = [];
    const rejects: Reject[] = [];
    let count = 0;
    const streamed: string[] = [];
    for (const key of keys) {
      if (!copy) {
        streamed.push(key);
        continue;
      }
      context.signal.throwIfAborted();
      const result = await copy(tx, copyRequest(stage, store, key), prepared.get(key));
      if (result.declined !== undefined) {
        context.log.info(`${key}: read by the worker, not ${warehouse.location}: ${result.declined}`);
        streamed.push(key);
        continue;
      }
      // The warehouse read the object itself: it must have read the version recorded here.
      const version = versions.get(key) ?? '';
      if ((await store.stat(key))?.version !== version) {
        throw new Error(`${key} changed while it was being staged: the next try stages its new version`);
      }
      count += result.rows;
      staged.push({ key, version, rows: result.rows, rejects: result.rejected });
      rejects.push(...result.rejects.map((r) => ({ key, line: r.line, reason: r.reason })));
      context.log.info(
        `${key}: ${result.rows} row(s) loaded by ${warehouse.location} from ${store.location}`,
      );
      if (result.rejected > 0) context.log.warn(`${key}: ${result.rejected} record(s) rejected`);
    }
    if (streamed.length > 0)
      count += await streamObjects(stage, context, store, tx, streamed, staged, rejects, keys.length);
    await recordObjects(tx, stage.table, staged, rejects);
    return count;
  });
}
