import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, findToken } from '../store/admin/index.ts';
import { testDb, type TestDb } from '../store/db/testing.ts';
import { runCli } from './testing.ts';

describe.each(['sqlite', 'postgres'] as const)('downbeat users on %s', (dialect) => {
  let home: string;
  let t: TestDb;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'downbeat-users-cli-'));
    t = await testDb(dialect);
  });
  afterAll(async () => {
    await t.drop();
    await rm(home, { recursive: true, force: true });
  });
  const cli = (args: string[], stdin = '') =>
    runCli(args, { DOWNBEAT_HOME: home, DOWNBEAT_DATABASE_URL: t.url }, stdin);

  /** An API token of `username` stored as the server stores one; whether it still works. */
  async function tokenOf(username: string): Promise<() => Promise<boolean>> {
    const hash = `test-token-${username}-${Math.random()}`;
    await createToken(t.db, { hash, username, kind: 'api', csrf: null, expiresAt: null }, Date.now());
    return async () => (await findToken(t.db, hash, Date.now())) !== undefined;
  }

  it('creates (password from a flag or stdin), lists, changes roles, resets passwords and deletes', async () => {
    expect(
      await cli(['users', 'create', '--username', 'ada', '--role', 'admin', '--password', 'lovelace-1815']),
    ).toMatchObject({
      status: 0,
      stdout: 'user ada created (admin)\n',
    });
    const fromStdin = await cli(
      ['users', 'create', '--username', 'grace', '--role', 'viewer', '--password-stdin'],
      'cobol-1959\n',
    );
    expect(fromStdin).toMatchObject({ status: 0, stdout: 'user grace created (viewer)\n' });
    const listed = await cli(['users', 'list']);
    expect(listed.stdout).toMatch(/^USERNAME +ROLE +CREATED\nada +admin +\d{4}-.*\ngrace +viewer +\d{4}-/);
    expect(listed.stdout).not.toMatch(/lovelace|cobol/);
    const json = JSON.parse((await cli(['users', 'list', '--json'])).stdout) as {
      username: string;
      role: string;
    }[];
    expect(json.map((u) => [u.username, u.role])).toEqual([
      ['ada', 'admin'],
      ['grace', 'viewer'],
    ]);

    const roleToken = await tokenOf('grace');
    expect(await cli(['users', 'set-role', '--username', 'grace', '--role', 'op'])).toMatchObject({
      status: 0,
      stdout: 'user grace is now op; their sessions and tokens ended\n',
    });
    expect(await roleToken()).toBe(false);

    const passwordToken = await tokenOf('grace');
    const reset = await cli(
      ['users', 'reset-password', '--username', 'grace', '--password-stdin'],
      'a-new-password\n',
    );
    expect(reset).toMatchObject({
      status: 0,
      stdout: 'password of grace reset; their sessions and tokens ended\n',
    });
    expect(reset.stdout + reset.stderr).not.toContain('a-new-password');
    expect(await passwordToken()).toBe(false);

    const deleteToken = await tokenOf('grace');
    expect(await cli(['users', 'delete', '--username', 'grace'])).toMatchObject({
      status: 0,
      stdout: 'user grace deleted; their sessions and tokens ended\n',
    });
    expect(await deleteToken()).toBe(false);
    expect(await cli(['users', 'delete', '--username', 'grace'])).toMatchObject({
      status: 1,
      stderr: 'downbeat: no user "grace"\n',
    });
  });

  it('refuses an unknown role, a weak password, a bad name, a missing flag, naming the flag (status 2)', async () => {
    const role = await cli([
      'users',
      'create',
      '--username',
      'x',
      '--role',
      'root',
      '--password',
      'long enough',
    ]);
    expect(role.status).toBe(2);
    expect(role.stderr).toContain('--role: role must be one of viewer, op, admin, not "root"');
    const weak = await cli(['users', 'create', '--username', 'x', '--role', 'op', '--password', 'seven77']);
    expect(weak.status).toBe(2);
    expect(weak.stderr).toContain('--password: password must be at least 8 characters');
    expect(weak.stderr).not.toContain('seven77');
    const weakReset = await cli(
      ['users', 'reset-password', '--username', 'ada', '--password-stdin'],
      'short\n',
    );
    expect(weakReset.status).toBe(2);
    expect(weakReset.stderr).toContain('--password: password must be at least 8 characters');
    const name = await cli([
      'users',
      'create',
      '--username',
      'a:b',
      '--role',
      'op',
      '--password',
      'long enough',
    ]);
    expect(name.status).toBe(2);
    expect(name.stderr).toContain('--username: username must be 1 to 64 letters');
    const both = await cli([
      'users',
      'create',
      '--username',
      'x',
      '--role',
      'op',
      '--password',
      'long enough',
      '--password-stdin',
    ]);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('exactly one of --password or --password-stdin');
    const noRole = await cli(['users', 'set-role', '--username', 'ada']);
    expect(noRole.status).toBe(2);
    expect(noRole.stderr).toContain('--role is required');
    const setRole = await cli(['users', 'set-role', '--username', 'ada', '--role', 'boss']);
    expect(setRole.status).toBe(2);
    expect(setRole.stderr).toContain('--role: role must be one of viewer, op, admin');
    const taken = await cli([
      'users',
      'create',
      '--username',
      'ada',
      '--role',
      'op',
      '--password',
      'long enough',
    ]);
    expect(taken).toMatchObject({ status: 1, stderr: 'downbeat: user "ada" exists already\n' });
  });

  it('neither demotes nor deletes the last admin', async () => {
    const demote = await cli(['users', 'set-role', '--username', 'ada', '--role', 'viewer']);
    expect(demote).toMatchObject({
      status: 1,
      stderr: 'downbeat: ada is the last admin: make another user admin first\n',
    });
    expect((await cli(['users', 'delete', '--username', 'ada'])).status).toBe(1);
    await cli(['users', 'create', '--username', 'root2', '--role', 'admin', '--password', 'long enough']);
    expect((await cli(['users', 'set-role', '--username', 'ada', '--role', 'viewer'])).status).toBe(0);
    expect((await cli(['users', 'delete', '--username', 'root2'])).status).toBe(1);
  });
});
