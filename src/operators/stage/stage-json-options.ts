import { durationMs, type Duration, type RunType } from '../../dag/index.ts';
import { DownbeatError } from '../../errors/index.ts';
import { resolveSensor, type ResolvedSensor } from '../sensors/index.ts';
import { quoteIdentifier, type ObjectCopyRequest } from '../../ports/index.ts';
import type { StagingColumn } from './columns.ts';
import type { JsonFraming } from './json-records.ts';

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
   * than by one COPY each (a COPY has a fixed cost whatever its size, which a small file's few
   * rows do not repay, and cannot tell which file a row came from when it loads several).
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
  /**
   * Interval objects: while the interval's object is missing, wait for it as a sensor in
   * reschedule mode (holding no worker slot between pokes) instead of failing, in runs of these
   * types; a run of another type (a backfill, by default) still fails at once, naming the key. At
   * the timeout the task fails, with no retry. @default none: a missing object fails the try
   */
  readonly waitForObjects?: StageWait;
}

/** How a stage waits for a late interval object. */
export interface StageWait {
  /** @default '1m' */
  readonly pokeInterval?: Duration;
  /** Counted from the task's first try. @default '1h' */
  readonly timeout?: Duration;
  /** @default ['scheduled', 'manual'] */
  readonly runTypes?: readonly RunType[];
}

/** A catalog with its suffix resolved. */
export interface ResolvedCatalogObjects {
  readonly prefix: string;
  readonly suffix: string;
}

/** A stage's options with their defaults applied, and what follows from them: worked out once, when the DAG is defined. */
export interface ResolvedStageJson {
  readonly source: string;
  readonly warehouseId: string;
  /** The staging table as named: the bookkeeping's key, and the name in messages. */
  readonly table: string;
  /** The staging table, quoted for SQL. */
  readonly quotedTable: string;
  readonly objects: IntervalObjects | ResolvedCatalogObjects;
  readonly framing: JsonFraming;
  readonly columns: readonly StagingColumn[];
  /** The columns a row fills: the staging columns, then `_source_key` and `_source_line`. */
  readonly rowColumns: readonly string[];
  readonly validate: StageJsonOptions['validate'];
  /** Left undefined when not set: the readers and the warehouses apply the default. */
  readonly maxRecordBytes: number | undefined;
  readonly rejectLimit: number;
  readonly batchSize: number;
  readonly relistAfterMs: number;
  /** Whether a warehouse that reads the source store itself may load the objects. */
  readonly copyAllowed: boolean;
  /** The columns a warehouse's own load fills, each from its field. */
  readonly copyColumns: ObjectCopyRequest['columns'];
  /** What the warehouse's own load rejects: required columns that are null, then `rejectWhere`. */
  readonly rejectWhen: NonNullable<ObjectCopyRequest['rejectWhen']>;
  /** How a missing interval object is waited for, and in which runs. @default never */
  readonly wait: (ResolvedSensor & { readonly runTypes: readonly RunType[] }) | undefined;
}

/** Resolves a stage's options; throws at once for a table or column name that is not an identifier. */
export function resolveStageJson(options: StageJsonOptions): ResolvedStageJson {
  const quotedTable = quoteIdentifier(options.table);
  const relistAfterMs = durationMs(options.relistAfter ?? 0);
  const rowColumns = [...options.columns.map((c) => c.name), '_source_key', '_source_line'];
  rowColumns.forEach(quoteIdentifier);

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
  const objects = options.objects;
  if (options.waitForObjects && !('every' in objects)) {
    throw new DownbeatError(
      'invalid_stage',
      `stage_json ${options.table}: waitForObjects waits for an interval's objects; a catalog (prefix ${objects.prefix}) has none to wait for`,
    );
  }
  const wait = options.waitForObjects && {
    ...resolveSensor('stage_json waitForObjects', {
      pokeInterval: options.waitForObjects.pokeInterval,
      timeout: options.waitForObjects.timeout ?? '1h',
      mode: 'reschedule',
    }),
    runTypes: options.waitForObjects.runTypes ?? ['scheduled', 'manual'],
  };
  return {
    wait,
    source: options.source,
    warehouseId: options.warehouse ?? 'warehouse',
    table: options.table,
    quotedTable,
    objects: 'every' in objects ? objects : { prefix: objects.prefix, suffix: objects.suffix ?? '.json' },
    framing: options.framing,
    columns: options.columns,
    rowColumns,
    validate: options.validate,
    maxRecordBytes: options.maxRecordBytes,
    rejectLimit: options.rejectLimit ?? 0,
    batchSize: options.batchSize ?? 1000,
    relistAfterMs,
    copyAllowed:
      (options.warehouseCopy ?? 'every' in objects) &&
      (options.validate === undefined || options.rejectWhere !== undefined),
    copyColumns,
    rejectWhen: [...required.values(), ...(options.rejectWhere ?? [])],
  };
}
