import { z } from '@hono/zod-openapi';
import { bodyOf, list, optionalWholeNumber, text } from '../schema-kit.ts';

/**
 * What the API reads from the warehouse, read-only (DESIGN §8): the explorer, and a run's rejected
 * source records and its ledger.
 */

export const MAX_QUERY_ROWS = 10_000;
export const MAX_SQL = 100_000;

/**
 * A value of a result: numbers as numbers (their digits as text past 2^53), times as ISO-8601, a
 * list or a struct as JSON.
 */
export const WarehouseCellSchema = z
  .union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(z.unknown()).readonly(),
    z.record(z.string(), z.unknown()),
  ])
  .openapi('WarehouseCell', {
    description: 'a JSON value: numbers past 2^53 as their digits in text, times as ISO-8601',
  });

export const WarehouseTableSchema = z
  .object({
    name: z.string().openapi({ description: 'as a query writes it' }),
    row_count: z.number().int(),
    columns: list(z.object({ name: z.string(), type: z.string() })),
  })
  .openapi('WarehouseTable');

export const WarehouseQueryBodySchema = bodyOf('WarehouseQueryBody', {
  sql: text(MAX_SQL).openapi({ description: 'one SELECT; anything else is refused (400 query_refused)' }),
  limit: optionalWholeNumber({ min: 1, max: MAX_QUERY_ROWS }).openapi({ default: 1000 }),
});

const resultShape = {
  columns: list(z.string()),
  rows: list(list(WarehouseCellSchema)),
  truncated: z.boolean().openapi({ description: 'there were more rows than the limit' }),
};
export const WarehouseQueryResultSchema = z.object(resultShape).openapi('WarehouseQueryResult');

export const WarehouseRowsSchema = z
  .object({ name: z.string(), offset: z.number().int(), total_entries: z.number().int(), ...resultShape })
  .openapi('WarehouseRows');

/**
 * Whose reads a run's rejects and ledger show: `run`, the objects the run itself read; `interval`,
 * a covered interval's; `range`, all its range run read.
 */
export const ReadScopeSchema = z.enum(['run', 'interval', 'range']).openapi('ReadScope');

export const RunRejectSchema = z
  .object({
    table: z.string().openapi({ description: 'the staging table it was meant for' }),
    object_key: z.string(),
    line: z
      .number()
      .int()
      .openapi({ description: 'its line in the object; 0 where the warehouse does not know' }),
    reason: z.string(),
  })
  .openapi('RunReject');

export const RunRejectsSchema = z
  .object({
    items: list(RunRejectSchema),
    total_entries: z.number().int().openapi({ description: 'counts those kept' }),
    scope: ReadScopeSchema,
    rejected: z.number().int().openapi({ description: 'records rejected, as staging counted them' }),
  })
  .openapi('RunRejects');

export const LedgerTableSchema = z
  .object({
    table: z.string(),
    scope: ReadScopeSchema,
    objects: z.number().int(),
    lines_read: z.number().int(),
    rows_staged: z.number().int(),
    rejected: z.number().int(),
    restaged: z.number().int().openapi({ description: 'objects staged again at another version since' }),
    balanced: z.boolean().openapi({ description: 'lines_read = rows_staged + rejected' }),
  })
  .openapi('LedgerTable');

export const ReconciliationSchema = z
  .object({
    task_id: z.string(),
    try_number: z.number().int(),
    name: z.string(),
    expected: z.string(),
    actual: z.string(),
    passed: z.boolean(),
    for_range: z.boolean(),
  })
  .openapi('Reconciliation');

export const RunLedgerSchema = z
  .object({
    tables: list(LedgerTableSchema),
    reconciliations: list(ReconciliationSchema),
    passed: z
      .boolean()
      .nullable()
      .openapi({ description: 'every table balanced and every reconciliation passed; null when neither' }),
  })
  .openapi('RunLedger');
