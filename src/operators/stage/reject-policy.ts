import { TaskFailure } from '../../dag/index.ts';
import type { Warehouse } from '../../ports/index.ts';
import type { ResolvedStageJson } from './stage-json-options.ts';
import { firstRejects } from './staging-manifest.ts';

/** Rejects named in a failure message. */
const REJECTS_SHOWN = 20;

/**
 * Fails the run when the objects it reads hold more rejects than the stage's limit, naming the
 * first of them; otherwise returns the count, for the summary. The rows stay staged either way:
 * the failure is about what the run may go on to load, and `written` is reported with it.
 */
export async function failOnRejects(
  stage: ResolvedStageJson,
  warehouse: Warehouse,
  total: number,
  keys: readonly string[] | undefined,
  written: number,
): Promise<number> {
  if (total <= stage.rejectLimit) return total;
  const shown = await firstRejects(warehouse, stage.table, keys, REJECTS_SHOWN);
  const lines = shown.map((r) => `${r.key}:${r.line}: ${r.reason}`);
  if (total > shown.length) lines.push(`… and ${total - shown.length} more`);
  throw new TaskFailure(
    'source_rejected',
    `${total} source record(s) could not be loaded into ${stage.table} (reject limit ${stage.rejectLimit}):\n  ${lines.join('\n  ')}`,
    { rowsWritten: { [stage.table]: written } },
  );
}
