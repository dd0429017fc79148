import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Api from './api/types.ts';
import { testServer, type TestServer } from './testing.ts';

const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;

describe.each(['sqlite', 'postgres'] as const)('pools in the API on %s', (dialect) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(dialect);
  });
  afterAll(() => s.close());
  const send = (method: string, path: string, body?: unknown) =>
    s.api(`/api/v1${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  it('lists default_pool, creates, changes and deletes a pool as Airflow does', async () => {
    const first = await json<Api.Page<Api.Pool>>(await send('GET', '/pools'));
    expect(first.items).toEqual([
      {
        name: 'default_pool',
        slots: 128,
        description: 'Default pool',
        running_slots: 0,
        queued_slots: 0,
        open_slots: 128,
      },
    ]);
    const created = await send('POST', '/pools', { name: 'warehouse', slots: 2, description: 'the DW' });
    expect(created.status).toBe(201);
    expect(await json<Api.Pool>(created)).toMatchObject({ name: 'warehouse', slots: 2, open_slots: 2 });
    expect((await send('POST', '/pools', { name: 'warehouse', slots: 3 })).status).toBe(409);
    const changed = await send('PATCH', '/pools/warehouse', { slots: 4 });
    expect(await json<Api.Pool>(changed)).toMatchObject({ slots: 4, description: 'the DW' });
    expect((await send('DELETE', '/pools/warehouse')).status).toBe(204);
    expect((await send('GET', '/pools/warehouse')).status).toBe(404);
    expect((await send('DELETE', '/pools/warehouse')).status).toBe(404);
  });

  it('refuses bad input naming the field, and deleting default_pool', async () => {
    for (const [body, field] of [
      [{ name: 'a b', slots: 1 }, 'name'],
      [{ name: 'ok', slots: -1 }, 'slots'],
      [{ name: 'ok', slots: 'two' }, 'slots'],
      [{ name: 'ok' }, 'slots'],
      [{ name: 'ok', slots: 1, colour: 'red' }, 'colour'],
    ] as const) {
      const response = await send('POST', '/pools', body);
      expect(response.status).toBe(400);
      expect((await json<Api.ApiError>(response)).error.field).toBe(field);
    }
    const kept = await send('DELETE', '/pools/default_pool');
    expect(kept.status).toBe(400);
    expect((await json<Api.ApiError>(kept)).error.message).toContain('default_pool cannot be deleted');
  });
});
