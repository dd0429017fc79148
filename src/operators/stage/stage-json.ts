import {
  durationMs,
  type Duration,
  renderTemplate,
  TaskFailure,
  utcDaysIn,
  type Operator,
  type TaskContext,
  type TaskOutcome,
} from '../../dag/index.ts';
import {
  quoteIdentifier,
  type BulkRow,
  type ObjectCopyRequest,
  type ObjectCopyOutcome,
  type ObjectInfo,
  type ObjectStore,
  type PreparedCopy,
  type SqlSession,
  type Warehouse,
} from '../../ports/index.ts';
import { createHash, type Hash } from 'node:crypto';
import { ensureBookkeeping } from '../bookkeeping-tables.ts';
import { catalogState, recordCatalogState } from './catalog-state.ts';
import { pinRunObjects } from './run-objects.ts';
import {
  firstRejects,
  forgetObjects,
  recordObjects,
  stagedKeys,
  stagedObjects,
  stagedTotals,
  type Reject,
  type StagedObject,
} from './staging-manifest.ts';
import { coerceRecord, type StagingColumn } from './columns.ts';
import { readJsonRecords, type JsonFraming } from './json-records.ts';
import { readObjects } from './read-objects.ts';

/** Objects chosen by the run's interval: one key per UTC day it touches, e.g. a day's event log. */
export interface IntervalObjects {
  readonly every: 'day';
  /** A key template (see renderTemplate), e.g. `log_data/{{ YYYY }}/{{ MM }}/{{ ds }}-events.json`. */
  readonly key: string;
}

/** Every object under a prefix: a catalog that grows (e.g. song_data), staged as it changes. */
export interface CatalogObjects {
  readonly prefix: string;
  /** @default '.json' */
  readonly suffix?: string;
}

export interface StageJsonOptions {
  /** The object-store connection. */
  readonly source: string;
  /** @default 'warehouse' */
  readonly warehouse?: string;
  /** The staging table; besides `columns` it has `_source_key` (text) and `_source_line` (bigint). */
  readonly table: string;
  readonly objects: IntervalObjects | CatalogObjects;
  readonly framing: JsonFraming;
  readonly columns: readonly StagingColumn[];
  /** A rule beyond the column types; returns the reason a record is invalid. */
  readonly validate?: (record: Record<string, unknown>) => string | undefined;
  /**
   * `validate`'s rules as SQL conditions over the staging columns, for a warehouse that loads the
   * objects itself (Redshift's COPY from S3), where `validate` cannot run. Without them, a stage
   * with `validate` always reads its objects through the worker.
   */
  readonly rejectWhere?: readonly { readonly condition: string; readonly reason: string }[];
  /**
   * Let a warehouse that can read the source store itself (Redshift from S3) load the objects, one
   * COPY per object, instead of streaming them through the worker. @default true for interval
   * objects; false for a catalog, whose thousands of small files load faster through the worker
   * than by one COPY each (a COPY costs about a second whatever its size, and cannot tell which
   * file a row came from when it loads several).
   */
  readonly warehouseCopy?: boolean;
  /**
   * How many rejected records a run tolerates before it fails. An object that cannot be read as
   * JSON text at all (compressed, binary, a record too long to find its end) fails the run
   * whatever the limit, and nothing of it is staged. @default 0
   */
  readonly rejectLimit?: number;
  /** A longer record (an NDJSON line) is rejected without being held. @default 1 MiB */
  readonly maxRecordBytes?: number;
  /** Objects staged per transaction in catalog mode. @default 1000 */
  readonly batchSize?: number;
  /**
   * Catalog mode: a listing this process made less than this long ago stands for the catalog, so
   * a backfill's hundreds of runs do not each list thousands of objects. @default 0 (always list)
   */
  readonly relistAfter?: Duration;
}

/** The last full listing of each catalog, per process: when it was made and its fingerprint. */
const recentListings = new Map<string, { at: number; fingerprint: string }>();

/** Rejects kept per object; all are counted. */
const REJECTS_KEPT_PER_OBJECT = 1000;
/** Objects opened ahead of the one being parsed. */
const READ_AHEAD = 16;
/** Rejects named in a failure message. */
const REJECTS_SHOWN = 20;

/**
 * Stages JSON objects into a staging table, each object version once: a run whose objects are
 * already staged at their current version reads nothing. An object's rows, rejects and manifest
 * entry are replaced in one transaction, so concurrent runs see the old version or the new one,
 * never half of one; a run that finds another staging the same object waits for it.
 */
export function stageJson(options: StageJsonOptions): Operator {
  const warehouseId = options.warehouse ?? 'warehouse';
  const table = quoteIdentifier(options.table);
  const rejectLimit = options.rejectLimit ?? 0;
  const relistAfterMs = durationMs(options.relistAfter ?? 0);
  const columns = [...options.columns.map((c) => c.name), '_source_key', '_source_line'];
  columns.forEach(quoteIdentifier);

  const copyColumns = options.columns.map((c) => ({
    name: c.name,
    field: c.field ?? c.name,
    type: c.type,
    emptyAsNull: c.emptyAsNull,
  }));
  // Required columns first, once per field (two columns may read the same one).
  const required = new Map<string, { condition: string; reason: string }>();
  for (const c of options.columns) {
    const field = c.field ?? c.name;
    if (c.required && !required.has(field))
      required.set(field, { condition: `${quoteIdentifier(c.name)} IS NULL`, reason: `${field}: missing` });
  }
  const rejectWhen = [...required.values(), ...(options.rejectWhere ?? [])];
  const copyAllowed =
    (options.warehouseCopy ?? 'every' in options.objects) &&
    (options.validate === undefined || options.rejectWhere !== undefined);

  /** The warehouse's own loader for this store, when this stage may use it. */
  const copierFor = (
    warehouse: Warehouse,
    store: ObjectStore,
  ):
    | ((tx: SqlSession, request: ObjectCopyRequest, prepared?: PreparedCopy) => Promise<ObjectCopyOutcome>)
    | undefined => {
    if (!copyAllowed || !warehouse.copyFromObjectStore || !warehouse.canCopyFrom?.(store)) return undefined;
    return (tx, request, prepared) =>
      warehouse.copyFromObjectStore?.(tx, request, prepared) ??
      Promise.reject(new Error(`${warehouse.location} stopped offering to copy`));
  };

  /** What the warehouse's own loader is asked to load of one object. */
  const copyRequest = (store: ObjectStore, key: string): ObjectCopyRequest => ({
    store,
    key,
    table: options.table,
    columns: copyColumns,
    keyColumn: '_source_key',
    rankColumn: '_source_line',
    rejectWhen,
    rejectsKept: REJECTS_KEPT_PER_OBJECT,
    maxRecordBytes: options.maxRecordBytes,
  });

  /**
   * Stages these objects (at these versions) in one transaction; returns rows loaded. A warehouse
   * that reads the store itself loads each object server-side, in the same transaction as the
   * bookkeeping, having read it ahead of the transaction where it can (prepareCopy); the rest (all,
   * for other warehouses) stream through here.
   */
  const stageObjects = async (
    context: TaskContext,
    store: ObjectStore,
    warehouse: Warehouse,
    keys: readonly string[],
    versions: ReadonlyMap<string, string>,
  ) => {
    const copy = copierFor(warehouse, store);
    // Read ahead of the transaction where the warehouse can: no writer's turn is held meanwhile.
    const prepared = new Map<string, PreparedCopy>();
    try {
      if (copy && warehouse.prepareCopy) {
        for (const key of keys) {
          context.signal.throwIfAborted();
          prepared.set(key, await warehouse.prepareCopy(copyRequest(store, key)));
        }
      }
      return await stageInTransaction(context, store, warehouse, keys, versions, copy, prepared);
    } finally {
      await Promise.all([...prepared.values()].map((p) => p.release()));
    }
  };

  const stageInTransaction = (
    context: TaskContext,
    store: ObjectStore,
    warehouse: Warehouse,
    keys: readonly string[],
    versions: ReadonlyMap<string, string>,
    copy: ReturnType<typeof copierFor>,
    prepared: ReadonlyMap<string, PreparedCopy>,
  ) =>
    warehouse.transaction(async (tx) => {
      await forgetObjects(tx, options.table, table, keys);
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
        const result = await copy(tx, copyRequest(store, key), prepared.get(key));
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
      if (streamed.length > 0) count += await streamObjects(context, store, tx, streamed, staged, rejects);
      await recordObjects(tx, options.table, staged, rejects);
      return count;
    });

  /** Streams objects through this worker's reader into the table; returns rows loaded. */
  const streamObjects = async (
    context: TaskContext,
    store: ObjectStore,
    tx: SqlSession,
    keys: readonly string[],
    staged: StagedObject[],
    rejects: Reject[],
  ) => {
    let unreadable: Reject | undefined;
    async function* rows(): AsyncIterable<BulkRow> {
      for await (const { key, info, body } of readObjects(store, keys, READ_AHEAD)) {
        let loaded = 0;
        let rejected = 0;
        const reject = (line: number, reason: string) => {
          rejected += 1;
          if (rejected <= REJECTS_KEPT_PER_OBJECT) rejects.push({ key, line, reason });
        };
        for await (const record of readJsonRecords(body, {
          framing: options.framing,
          maxRecordBytes: options.maxRecordBytes,
        })) {
          if (record.fatal) {
            unreadable = { key, line: record.line, reason: record.error };
            return;
          }
          if (record.error !== undefined) {
            reject(record.line, record.error);
            continue;
          }
          const coerced = coerceRecord(record.value, options.columns);
          const invalid = coerced.error ?? options.validate?.(record.value);
          if (invalid !== undefined || !coerced.row) {
            reject(record.line, invalid ?? 'invalid');
            continue;
          }
          loaded += 1;
          if ((loaded & 0x3fff) === 0) context.signal.throwIfAborted();
          yield [...coerced.row, key, record.line];
        }
        staged.push({ key, version: info.version, rows: loaded, rejects: rejected });
        if (rejected > 0) context.log.warn(`${key}: ${rejected} record(s) rejected`);
      }
    }
    const count = await tx.bulkInsert(options.table, columns, rows());
    // Thrown here, not from inside the rows, so the warehouse does not wrap it; the rollback
    // leaves the table as it was.
    if (unreadable) {
      throw new TaskFailure(
        'source_unreadable',
        `${unreadable.key}:${unreadable.line}: ${unreadable.reason}. Nothing of it was staged into ${options.table}` +
          (keys.length > 1 ? ` (nor of the ${keys.length - 1} other object(s) staged with it)` : ''),
      );
    }
    return count;
  };

  const failOnRejects = async (
    warehouse: Warehouse,
    total: number,
    keys: readonly string[] | undefined,
    written: number,
  ) => {
    if (total <= rejectLimit) return total;
    const shown = await firstRejects(warehouse, options.table, keys, REJECTS_SHOWN);
    const lines = shown.map((r) => `${r.key}:${r.line}: ${r.reason}`);
    if (total > shown.length) lines.push(`… and ${total - shown.length} more`);
    throw new TaskFailure(
      'source_rejected',
      `${total} source record(s) could not be loaded into ${options.table} (reject limit ${rejectLimit}):\n  ${lines.join('\n  ')}`,
      { rowsWritten: { [options.table]: written } },
    );
  };

  const stageInterval = async (context: TaskContext, objects: IntervalObjects): Promise<TaskOutcome> => {
    const store = await context.connections.objectStore(options.source);
    const warehouse = await context.connections.warehouse(warehouseId);
    await ensureBookkeeping(warehouse);
    const keys = [...new Set(utcDaysIn(context.dataInterval).map((day) => renderTemplate(objects.key, day)))];
    let written = 0;
    let stagedNow = 0; // objects staged by this run (an empty one adds no rows)
    for (const key of keys) {
      const info = await store.stat(key);
      if (!info) {
        throw new TaskFailure(
          'source_missing',
          `${key} not found in ${store.location}: the data for this interval may be late`,
        );
      }
      written += await warehouse.withLock(`stage:${options.table}:${key}`, async () => {
        const staged = await stagedObjects(warehouse, options.table, [key]);
        if (staged.get(key)?.version === info.version) return 0;
        stagedNow += 1;
        return stageObjects(context, store, warehouse, [key], new Map([[key, info.version]]));
      });
    }
    // Later tasks join these rows: a planner that still believes the table empty plans them badly.
    if (written > 0) await warehouse.refreshStatistics?.(options.table);
    await pinRunObjects(warehouse, context.runId, options.table, keys);
    const staged = await stagedObjects(warehouse, options.table, keys);
    const rejected = await failOnRejects(
      warehouse,
      [...staged.values()].reduce((sum, o) => sum + o.rejects, 0),
      keys,
      written,
    );
    const available = [...staged.values()].reduce((sum, o) => sum + o.rows, 0);
    return {
      rowsWritten: { [options.table]: written },
      summary:
        `${keys.length} object(s) for the interval, ${available} row(s) staged` +
        (stagedNow === 0 ? ' (already staged)' : `, ${written} now`) +
        (rejected > 0 ? `, ${rejected} rejected` : ''),
    };
  };

  /**
   * Forgets the staged objects under a prefix that are no longer listed; returns how many. The
   * rare case (a catalog only grows) and the one that holds a set of every listed key.
   */
  const forgetRemoved = async (
    store: ObjectStore,
    warehouse: Warehouse,
    prefix: string,
    suffix: string,
    pageSize: number,
  ) => {
    const listed = new Set<string>();
    for await (const info of store.list(prefix)) if (info.key.endsWith(suffix)) listed.add(info.key);
    const removed: string[] = [];
    for await (const page of stagedKeys(warehouse, options.table, prefix, pageSize))
      removed.push(...page.filter((key) => !listed.has(key)));
    for (let i = 0; i < removed.length; i += pageSize)
      await warehouse.transaction((tx) =>
        forgetObjects(tx, options.table, table, removed.slice(i, i + pageSize)),
      );
    return removed.length;
  };

  const stageCatalog = async (context: TaskContext, objects: CatalogObjects): Promise<TaskOutcome> => {
    const store = await context.connections.objectStore(options.source);
    const warehouse = await context.connections.warehouse(warehouseId);
    await ensureBookkeeping(warehouse);
    const suffix = objects.suffix ?? '.json';
    const batchSize = options.batchSize ?? 1000;
    /** The catalog's objects, as listed now, a batch at a time, and the fingerprint of all. */
    const listing = async function* (fingerprint: Hash): AsyncIterable<ObjectInfo[]> {
      const batch: ObjectInfo[] = [];
      for await (const info of store.list(objects.prefix)) {
        if (!info.key.endsWith(suffix)) continue;
        fingerprint.update(`${info.key}\0${info.version}\n`);
        batch.push(info);
        if (batch.length === batchSize) yield batch.splice(0);
      }
      if (batch.length > 0) yield batch;
    };
    // Runs wait here for a staging already in progress rather than repeating it. Nothing here holds
    // the whole listing or manifest: a catalog of any size is compared a batch at a time.
    const { written, state } = await warehouse.withLock(
      `stage:${options.table}:${objects.prefix}`,
      async () => {
        const listingKey = `${store.location}\0${objects.prefix}\0${suffix}\0${options.table}`;
        const recent = recentListings.get(listingKey);
        if (recent && Date.now() - recent.at < relistAfterMs) {
          const known = await catalogState(warehouse, options.table, objects.prefix);
          if (known?.fingerprint === recent.fingerprint) return { written: 0, state: known };
        }
        const known = await catalogState(warehouse, options.table, objects.prefix);
        if (known) {
          const first = createHash('sha256');
          const listedAt = Date.now();
          for await (const _batch of listing(first)) context.signal.throwIfAborted();
          const digest = first.digest('hex');
          recentListings.set(listingKey, { at: listedAt, fingerprint: digest });
          // The same listing as when the catalog was last staged in full: nothing to compare.
          if (known.fingerprint === digest) return { written: 0, state: known };
        }

        // Listed (again), batch by batch: each batch's objects not staged at their listed version
        // are staged in one transaction. The state records this listing, the one compared.
        const compared = createHash('sha256');
        const listedAt = Date.now();
        const stagedBefore = (await stagedTotals(warehouse, options.table, objects.prefix)).objects;
        let listed = 0;
        let changed = 0;
        let count = 0;
        for await (const batch of listing(compared)) {
          context.signal.throwIfAborted();
          listed += batch.length;
          // A catalog staged for the first time has nothing to look up.
          const before =
            stagedBefore === 0
              ? new Map<string, StagedObject>()
              : await stagedObjects(
                  warehouse,
                  options.table,
                  batch.map((o) => o.key),
                );
          const stale = batch.filter((o) => before.get(o.key)?.version !== o.version);
          if (stale.length === 0) continue;
          changed += stale.length;
          count += await stageObjects(
            context,
            store,
            warehouse,
            stale.map((o) => o.key),
            new Map(stale.map((o) => [o.key, o.version])),
          );
        }
        const digest = compared.digest('hex');
        recentListings.set(listingKey, { at: listedAt, fingerprint: digest });
        // Every listed object is staged now; more staged than listed means some were removed.
        let totals = await stagedTotals(warehouse, options.table, objects.prefix);
        let removed = 0;
        if (totals.objects > listed) {
          removed = await forgetRemoved(store, warehouse, objects.prefix, suffix, batchSize);
          totals = await stagedTotals(warehouse, options.table, objects.prefix);
        }
        if (changed > 0 || removed > 0) {
          await warehouse.refreshStatistics?.(options.table);
          context.log.info(
            `${changed} object(s) staged, ${removed} removed, of ${listed} under ${objects.prefix}`,
          );
        }
        const state = { fingerprint: digest, ...totals };
        await recordCatalogState(warehouse, options.table, objects.prefix, state);
        return { written: count, state };
      },
    );
    const rejected = await failOnRejects(warehouse, state.rejects, undefined, written);
    return {
      rowsWritten: { [options.table]: written },
      summary:
        `${state.objects} object(s), ${state.rows} row(s) staged, ${written} now` +
        (rejected > 0 ? `, ${rejected} rejected` : ''),
    };
  };

  return {
    kind: 'stage_json',
    describe: () => ({
      source: options.source,
      warehouse: warehouseId,
      table: options.table,
      objects: options.objects,
      framing: options.framing,
      rejectLimit,
      columns: options.columns,
    }),
    execute: (context) =>
      'every' in options.objects
        ? stageInterval(context, options.objects)
        : stageCatalog(context, options.objects),
  };
}
