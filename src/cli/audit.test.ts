/**
 * The audit log of the `downbeat` command (issue #20): each change is a row with address `cli`
 * and the operating system's user, its secrets masked; `downbeat audit list` reads the log.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb, type TestDb } from '../store/db/testing.ts';
import { runCli } from './testing.ts';

const DAGS = fileURLToPath(new URL('../store/testing-dags/', import.meta.url));
const SECRET = 'hunter2-Zq9';
const ME = userInfo().username;

interface Row {
  when: string;
  username: string;
  address: string;
  action: string;
  object: string;
  fields: Record<string, unknown>;
}

describe.each(['sqlite', 'postgres'] as const)('the audit log of the CLI on %s', (dialect) => {
  let home: string;
  let t: TestDb;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'downbeat-audit-cli-'));
    t = await testDb(dialect);
  });
  afterAll(async () => {
    await t.drop();
    await rm(home, { recursive: true, force: true });
  });
  const cli = (...args: string[]) =>
    runCli(args, { DOWNBEAT_HOME: home, DOWNBEAT_DAGS_FOLDER: DAGS, DOWNBEAT_DATABASE_URL: t.url });
  const list = async (...args: string[]) => {
    const result = await cli('audit', 'list', '--json', ...args);
    expect(result.status, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as Row[];
  };

  it('records each change, as the OS user from cli, secrets masked, and lists them newest first', async () => {
    const run = 'manual__2024-01-01T00:00:00.000Z';
    const steps: string[][] = [
      ['dags', 'trigger', 'diamond', '--logical-date', '2024-01-01', '--conf', '{"note":"x"}'],
      ['dags', 'pause', 'diamond'],
      ['dags', 'unpause', 'diamond'],
      ['tasks', 'mark', 'diamond', 'a', '2024-01-01', '--state', 'success'],
      ['tasks', 'clear', 'diamond', '--start', '2024-01-01', '--task', 'a', '--dry-run'],
      ['tasks', 'clear', 'diamond', '--start', '2024-01-01', '--task', 'a'],
      ['dags', 'mark', 'diamond', '2024-01-01', '--state', 'failed'],
      ['pools', 'set', 'dw', '2'],
      ['pools', 'delete', 'dw'],
      ['connections', 'add', 'dw', '--uri', `postgres://etl:${SECRET}@db/dw`],
      ['connections', 'delete', 'dw'],
      ['variables', 'set', 'api_key', SECRET],
      ['variables', 'delete', 'api_key'],
      ['users', 'create', '--username', 'grace', '--role', 'viewer', '--password', SECRET],
      ['users', 'set-role', '--username', 'grace', '--role', 'op'],
      ['users', 'reset-password', '--username', 'grace', '--password', `${SECRET}!`],
      ['users', 'delete', '--username', 'grace'],
      ['dags', 'backfill', 'diamond', '--start', '2024-02-01T00:00:00Z', '--end', '2024-02-01T02:00:00Z'],
    ];
    for (const step of steps) {
      const result = await cli(...step);
      expect(result.status, `${step.join(' ')}: ${result.stderr}`).toBe(0);
    }
    // What did nothing is no row.
    expect((await cli('pools', 'delete', 'dw')).status).toBe(1);

    const rows = (await list()).reverse();
    const backfill = rows.at(-1)?.object ?? '';
    expect(backfill).toMatch(/^diamond\/backfills\/\d+$/);
    expect(rows.map((r) => `${r.action} ${r.object}`)).toEqual([
      `dag_run.trigger diamond/${run}`,
      'dag.pause diamond',
      'dag.unpause diamond',
      `task_instance.mark diamond/${run}/a`,
      `task_instance.clear diamond/${run}`,
      `dag_run.mark diamond/${run}`,
      'pool.set dw',
      'pool.delete dw',
      'connection.add dw',
      'connection.delete dw',
      'variable.set api_key',
      'variable.delete api_key',
      'user.create grace',
      'user.set_role grace',
      'user.reset_password grace',
      'user.delete grace',
      `backfill.create ${backfill}`,
    ]);
    expect(new Set(rows.map((r) => `${r.username}@${r.address}`))).toEqual(new Set([`${ME}@cli`]));
    const of = (action: string) => rows.find((r) => r.action === action)?.fields;
    expect(of('dag_run.trigger')).toEqual({ logical_date: '2024-01-01T00:00:00.000Z', conf: { note: 'x' } });
    expect(of('task_instance.clear')).toMatchObject({ task_ids: ['a'] });
    expect(of('connection.add')).toEqual({ connection_id: 'dw', uri: 'postgres://etl:***@db/dw' });
    expect(of('variable.set')).toEqual({ value: '***' });
    expect(of('user.create')).toEqual({ username: 'grace', role: 'viewer', password: '***' });
    expect(JSON.stringify(await t.db.query('SELECT * FROM audit_log'))).not.toContain(SECRET);
  }, 60_000);

  it('filters by user, action, object and time, pages, and prints a table', async () => {
    expect((await list('--action', 'pool.set')).map((r) => r.object)).toEqual(['dw']);
    expect((await list('--object', 'diamond', '--action', 'dag.pause')).map((r) => r.action)).toEqual([
      'dag.pause',
    ]);
    expect(await list('--user', 'nobody')).toEqual([]);
    expect(await list('--since', '2999-01-01')).toEqual([]);
    expect((await list('--until', '1h')).length).toBe(0);
    expect((await list('--since', '1h', '--limit', '2', '--offset', '1')).length).toBe(2);
    const table = await cli('audit', 'list', '--limit', '1');
    expect(table.stdout).toMatch(
      new RegExp(`^WHEN +USER +ADDRESS +ACTION +OBJECT +FIELDS\\n\\S+ +${ME} +cli +backfill\\.create`),
    );
    expect(await cli('audit', 'list', '--limit', '1001')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('--limit must be a whole number from 1 to 1000, got "1001"') as unknown,
    });
    expect(await cli('audit', 'list', '--action', 'dag.explode')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('--action "dag.explode" is none of') as unknown,
    });
  });
});
