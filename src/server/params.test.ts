import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Api from './api/types.ts';
import { testServer, type TestServer } from './testing.ts';

describe.each(['sqlite', 'postgres'] as const)("a DAG's params in the API on %s", (dialect) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(dialect, { engine: false });
  });
  afterAll(() => s.close());

  const trigger = (conf: Record<string, unknown>, hour: number) =>
    s.api('/api/v1/dags/with_params/dagRuns', {
      method: 'POST',
      body: JSON.stringify({ logical_date: `2024-01-01T${String(hour).padStart(2, '0')}:00:00Z`, conf }),
    });

  it('are in the DAG detail, for the trigger form', async () => {
    const detail = (await (await s.api('/api/v1/dags/with_params')).json()) as Api.DagDetail;
    expect(detail.params).toEqual({
      rows: { type: 'integer', default: 10, description: 'rows to load', required: false, values: null },
      mode: { type: 'enum', default: null, description: null, required: true, values: ['full', 'increment'] },
      dry_run: { type: 'boolean', default: false, description: null, required: false, values: null },
    });
  });

  it("check a trigger's conf, fill in the defaults, and keep other keys", async () => {
    const response = await trigger({ mode: 'full', extra: 'kept' }, 1);
    expect(response.status).toBe(201);
    expect(((await response.json()) as Api.DagRun).conf).toEqual({
      mode: 'full',
      extra: 'kept',
      rows: 10,
      dry_run: false,
    });
  });

  it.each([
    [
      { mode: 'full', rows: 'ten' },
      'conf.rows',
      'DAG "with_params" param "rows": must be a whole number, got "ten"',
    ],
    [
      { mode: 'sometimes' },
      'conf.mode',
      'DAG "with_params" param "mode": must be one of full, increment, got "sometimes"',
    ],
    [{}, 'conf.mode', 'DAG "with_params" param "mode": is required'],
    [
      { mode: 'full', dry_run: 'yes' },
      'conf.dry_run',
      'DAG "with_params" param "dry_run": must be true or false, got "yes"',
    ],
  ])('refuse a conf of %o with a 400 naming the field', async (conf, field, message) => {
    const response = await trigger(conf, 2);
    expect(response.status).toBe(400);
    expect(((await response.json()) as Api.ApiError).error).toMatchObject({
      code: 'invalid_input',
      field,
      message,
    });
  });
});
