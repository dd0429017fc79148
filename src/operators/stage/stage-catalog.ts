import { createHash, type Hash } from 'node:crypto';
import type { TaskContext, TaskOutcome } from '../../dag/index.ts';
import type { ObjectInfo, ObjectStore, Warehouse } from '../../ports/index.ts';
import { ensureBookkeeping } from '../bookkeeping-tables.ts';
import { catalogState, recordCatalogState, type CatalogState } from './catalog-state.ts';
import { listingKey, recentFingerprint, rememberListing } from './recent-listings.ts';
import { failOnRejects } from './reject-policy.ts';
import type { ResolvedCatalogObjects, ResolvedStageJson } from './stage-json-options.ts';
import { stageObjects } from './stage-objects.ts';
import {
  forgetObjects,
  stagedKeys,
  stagedObjects,
  stagedTotals,
  type StagedObject,
} from './staging-manifest.ts';

/**
 * Catalog mode: stages every object under the prefix that is not staged at its listed version, a
 * batch per transaction, and forgets the staged objects no longer listed. A listing with the
 * fingerprint of the last one staged in full compares nothing.
 */
export async function stageCatalog(
  stage: ResolvedStageJson,
  context: TaskContext,
  objects: ResolvedCatalogObjects,
): Promise<TaskOutcome> {
  const store = await context.connections.objectStore(stage.source);
  const warehouse = await context.connections.warehouse(stage.warehouseId);
  await ensureBookkeeping(warehouse);
  // Runs wait here for a staging already in progress rather than repeating it.
  const { written, state } = await warehouse.withLock(`stage:${stage.table}:${objects.prefix}`, () =>
    stageChanges(stage, context, store, warehouse, objects),
  );
  const rejected = await failOnRejects(stage, warehouse, state.rejects, undefined, written);
  return {
    rowsWritten: { [stage.table]: written },
    summary:
      `${state.objects} object(s), ${state.rows} row(s) staged, ${written} now` +
      (rejected > 0 ? `, ${rejected} rejected` : ''),
  };
}

/**
 * Stages what changed in the catalog since it was last staged; returns rows written and the state
 * now recorded. Nothing here holds the whole listing or manifest: a catalog of any size is compared
 * a batch at a time.
 */
async function stageChanges(
  stage: ResolvedStageJson,
  context: TaskContext,
  store: ObjectStore,
  warehouse: Warehouse,
  objects: ResolvedCatalogObjects,
): Promise<{ written: number; state: CatalogState }> {
  const key = listingKey(store, objects, stage.table);
  const recent = recentFingerprint(key, context.now().getTime(), stage.relistAfterMs);
  if (recent !== undefined) {
    const known = await catalogState(warehouse, stage.table, objects.prefix);
    if (known?.fingerprint === recent) return { written: 0, state: known };
  }
  const known = await catalogState(warehouse, stage.table, objects.prefix);
  if (known) {
    const first = createHash('sha256');
    const listedAt = context.now().getTime();
    for await (const _batch of listCatalog(store, objects, stage.batchSize, first))
      context.signal.throwIfAborted();
    const digest = first.digest('hex');
    rememberListing(key, listedAt, digest);
    // The same listing as when the catalog was last staged in full: nothing to compare.
    if (known.fingerprint === digest) return { written: 0, state: known };
  }

  // Listed (again), batch by batch: each batch's objects not staged at their listed version are
  // staged in one transaction. The state records this listing, the one compared.
  const compared = createHash('sha256');
  const listedAt = context.now().getTime();
  const stagedBefore = (await stagedTotals(warehouse, stage.table, objects.prefix)).objects;
  let listed = 0;
  let changed = 0;
  let count = 0;
  for await (const batch of listCatalog(store, objects, stage.batchSize, compared)) {
    context.signal.throwIfAborted();
    listed += batch.length;
    // A catalog staged for the first time has nothing to look up.
    const before =
      stagedBefore === 0
        ? new Map<string, StagedObject>()
        : await stagedObjects(
            warehouse,
            stage.table,
            batch.map((o) => o.key),
          );
    const stale = batch.filter((o) => before.get(o.key)?.version !== o.version);
    if (stale.length === 0) continue;
    changed += stale.length;
    count += await stageObjects(
      stage,
      context,
      store,
      warehouse,
      stale.map((o) => o.key),
      new Map(stale.map((o) => [o.key, o.version])),
    );
  }
  const digest = compared.digest('hex');
  rememberListing(key, listedAt, digest);
  // Every listed object is staged now; more staged than listed means some were removed.
  let totals = await stagedTotals(warehouse, stage.table, objects.prefix);
  let removed = 0;
  if (totals.objects > listed) {
    removed = await forgetRemoved(stage, store, warehouse, objects);
    totals = await stagedTotals(warehouse, stage.table, objects.prefix);
  }
  if (changed > 0 || removed > 0) {
    await warehouse.refreshStatistics?.(stage.table);
    context.log.info(`${changed} object(s) staged, ${removed} removed, of ${listed} under ${objects.prefix}`);
  }
  const state = { fingerprint: digest, ...totals };
  await recordCatalogState(warehouse, stage.table, objects.prefix, state);
  return { written: count, state };
}

/** The catalog's objects, as listed now, a batch at a time; each is added to the fingerprint. */
async function* listCatalog(
  store: ObjectStore,
  objects: ResolvedCatalogObjects,
  batchSize: number,
  fingerprint: Hash,
): AsyncIterable<ObjectInfo[]> {
  const batch: ObjectInfo[] = [];
  for await (const info of store.list(objects.prefix)) {
    if (!info.key.endsWith(objects.suffix)) continue;
    fingerprint.update(`${info.key}\0${info.version}\n`);
    batch.push(info);
    if (batch.length === batchSize) yield batch.splice(0);
  }
  if (batch.length > 0) yield batch;
}

/**
 * Forgets the staged objects under the prefix that are no longer listed; returns how many. The
 * rare case (a catalog only grows) and the one that holds a set of every listed key.
 */
async function forgetRemoved(
  stage: ResolvedStageJson,
  store: ObjectStore,
  warehouse: Warehouse,
  objects: ResolvedCatalogObjects,
): Promise<number> {
  const pageSize = stage.batchSize;
  const listed = new Set<string>();
  for await (const info of store.list(objects.prefix))
    if (info.key.endsWith(objects.suffix)) listed.add(info.key);
  const removed: string[] = [];
  for await (const page of stagedKeys(warehouse, stage.table, objects.prefix, pageSize))
    removed.push(...page.filter((key) => !listed.has(key)));
  for (let i = 0; i < removed.length; i += pageSize)
    await warehouse.transaction((tx) =>
      forgetObjects(tx, stage.table, stage.quotedTable, removed.slice(i, i + pageSize)),
    );
  return removed.length;
}
