import type { Operator } from '../../dag/index.ts';
import { stageCatalog } from './stage-catalog.ts';
import { stageInterval } from './stage-interval.ts';
import { resolveStageJson, type StageJsonOptions } from './stage-json-options.ts';

/**
 * Stages JSON objects into a staging table, each object version once: a run whose objects are
 * already staged at their current version reads nothing. An object's rows, rejects and manifest
 * entry are replaced in one transaction, so concurrent runs see the old version or the new one,
 * never half of one; a run that finds another staging the same object waits for it.
 */
export function stageJson(options: StageJsonOptions): Operator {
  const stage = resolveStageJson(options);
  const objects = stage.objects;
  return {
    kind: 'stage_json',
    describe: () => ({
      source: options.source,
      warehouse: stage.warehouseId,
      table: options.table,
      objects: options.objects,
      framing: options.framing,
      rejectLimit: stage.rejectLimit,
      columns: options.columns,
      ...(stage.wait ? { waitForObjects: { ...stage.wait } } : {}),
    }),
    execute: (context) =>
      'every' in objects ? stageInterval(stage, context, objects) : stageCatalog(stage, context, objects),
  };
}
