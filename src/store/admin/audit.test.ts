import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDb, type TestDb } from '../db/testing.ts';
import { AuditFilterError, listAudit, recordAudit, type AuditEntry } from './index.ts';
import { maskedFieldsJson } from './audit-mask.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  at: T0,
  username: 'ada',
  address: '127.0.0.1',
  action: 'dag_run.trigger',
  object: 'demo/manual__2018-11-01T00:00:00+00:00',
  fields: {},
  ...over,
});

describe('the fields the audit log keeps', () => {
  it('masks fields named like secrets, URI passwords and secret query parameters, at any depth', () => {
    const kept = JSON.parse(
      maskedFieldsJson({
        username: 'grace',
        password: 'hunter2-Zq9',
        uri: 'postgres://etl:hunter2-Zq9@db:5432/dw?sslmode=require&aws_secret_access_key=AKsecret',
        conf: { nested: { api_key: 'k-123', note: 's3://AKIA:hunter2-Zq9@bucket/x' }, token: null },
        extra: { anything: 'at all' },
        role: 'op',
      }),
    ) as Record<string, unknown>;
    expect(kept).toEqual({
      username: 'grace',
      password: '***',
      uri: 'postgres://etl:***@db:5432/dw?sslmode=require&aws_secret_access_key=***',
      conf: { nested: { api_key: '***', note: 's3://AKIA:***@bucket/x' }, token: null },
      extra: '***',
      role: 'op',
    });
    expect(JSON.stringify(kept)).not.toContain('hunter2');
  });

  it('cuts long strings and big bodies', () => {
    const long = JSON.parse(maskedFieldsJson({ sql: 'x'.repeat(5000) })) as { sql: string };
    expect(long.sql).toMatch(/^x{1000}… \(5000 characters\)$/);
    const big = JSON.parse(
      maskedFieldsJson({ ids: Array.from({ length: 5000 }, (_, i) => `task_${i}`) }),
    ) as object;
    expect(Object.keys(big)).toEqual(['truncated']);
  });
});

describe.each(['sqlite', 'postgres'] as const)('the audit log (%s)', (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await testDb(dialect);
  });
  afterEach(async () => {
    await t.drop();
  });

  it('lists newest first, filtered by user, action, object and time, paged', async () => {
    await recordAudit(t.db, entry({ at: T0 }));
    await recordAudit(
      t.db,
      entry({ at: T0 + 1000, username: 'op1', action: 'task_instance.clear', object: 'demo/r1/load' }),
    );
    await recordAudit(
      t.db,
      entry({
        at: T0 + 2000,
        action: 'connection.add',
        object: 'warehouse',
        fields: { uri: 'postgres://u:pw@h/db' },
      }),
    );
    await recordAudit(t.db, entry({ at: T0 + 2000, action: 'dag.pause', object: 'demo_2' }));
    const all = await listAudit(t.db);
    expect(all.map((r) => r.action)).toEqual([
      'dag.pause',
      'connection.add',
      'task_instance.clear',
      'dag_run.trigger',
    ]);
    expect(all[1]).toMatchObject({
      at: T0 + 2000,
      username: 'ada',
      address: '127.0.0.1',
      fields: { uri: 'postgres://u:***@h/db' },
    });
    expect((await listAudit(t.db, { username: 'op1' })).map((r) => r.object)).toEqual(['demo/r1/load']);
    expect((await listAudit(t.db, { action: 'connection.add' })).map((r) => r.object)).toEqual(['warehouse']);
    // An object and what is under it; not a name that merely starts the same.
    expect((await listAudit(t.db, { object: 'demo' })).map((r) => r.action)).toEqual([
      'task_instance.clear',
      'dag_run.trigger',
    ]);
    expect(await listAudit(t.db, { object: 'dem%' })).toEqual([]);
    expect((await listAudit(t.db, { since: T0 + 1000, until: T0 + 2000 })).map((r) => r.at)).toEqual([
      T0 + 1000,
    ]);
    expect((await listAudit(t.db, { limit: 2, offset: 1 })).map((r) => r.action)).toEqual([
      'connection.add',
      'task_instance.clear',
    ]);
  });

  it('refuses a limit above 1000, naming it', async () => {
    await expect(listAudit(t.db, { limit: 1001 })).rejects.toThrow(
      new AuditFilterError('limit', 'limit must be a whole number from 1 to 1000, not 1001'),
    );
    await expect(listAudit(t.db, { offset: -1 })).rejects.toBeInstanceOf(AuditFilterError);
    expect((await listAudit(t.db, { limit: 1000 })).length).toBe(0);
  });
});
