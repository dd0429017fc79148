import { TaskFailure, type TaskContext } from '../../dag/index.ts';
import type { BulkRow, ObjectStore, SqlSession } from '../../ports/index.ts';
import { coerceRecord } from './columns.ts';
import { readJsonRecords } from './json-records.ts';
import { readObjects } from './read-objects.ts';
import type { ResolvedStageJson } from './stage-json-options.ts';
import { REJECTS_KEPT_PER_OBJECT, type Reject, type StagedObject } from './staging-manifest.ts';

/** Objects opened ahead of the one being parsed. */
const READ_AHEAD = 16;

/**
 * Streams objects through this worker's reader into the table, inside `tx`; returns rows loaded,
 * and adds each object's manifest entry and kept rejects to `staged` and `rejects`. An object that
 * cannot be read as JSON text fails the whole transaction, whose objects number `together`.
 */
export async function streamObjects(
  stage: ResolvedStageJson,
  context: TaskContext,
  store: ObjectStore,
  tx: SqlSession,
  keys: readonly string[],
  staged: StagedObject[],
  rejects: Reject[],
  together = keys.length,
): Promise<number> {
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
        framing: stage.framing,
        maxRecordBytes: stage.maxRecordBytes,
      })) {
        if (record.fatal) {
          unreadable = { key, line: record.line, reason: record.error };
          return;
        }
        if (record.error !== undefined) {
          reject(record.line, record.error);
          continue;
        }
        const coerced = coerceRecord(record.value, stage.columns);
        const invalid = coerced.error ?? stage.validate?.(record.value);
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
  const count = await tx.bulkInsert(stage.table, stage.rowColumns, rows());
  // Thrown here, not from inside the rows, so the warehouse does not wrap it; the rollback
  // leaves the table as it was.
  if (unreadable) {
    throw new TaskFailure(
      'source_unreadable',
      `${unreadable.key}:${unreadable.line}: ${unreadable.reason}. Nothing of it was staged into ${stage.table}` +
        (together > 1 ? ` (nor of the ${together - 1} other object(s) staged with it)` : ''),
    );
  }
  return count;
}
