import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './testing.ts';

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'downbeat-pools-cli-'));
});
afterAll(() => rm(home, { recursive: true, force: true }));
const cli = (...args: string[]) => runCli(args, { DOWNBEAT_HOME: home });

describe('downbeat pools', () => {
  it('sets, lists (as text and JSON) and deletes a pool; default_pool is there and stays', async () => {
    expect(await cli('pools', 'set', 'warehouse', '2', '--description', 'the DW')).toMatchObject({
      status: 0,
      stdout: 'pool warehouse set to 2 slot(s)\n',
    });
    expect((await cli('pools', 'set', 'warehouse', '3')).status).toBe(0);
    const listed = await cli('pools', 'list');
    expect(listed.stdout).toMatch(/^default_pool\t128\t0\t0\t128\tDefault pool$/m);
    expect(listed.stdout).toMatch(/^warehouse\t3\t0\t0\t3\tthe DW$/m);
    const json = JSON.parse((await cli('pools', 'list', '--json')).stdout) as {
      name: string;
      slots: number;
    }[];
    expect(json.map((p) => [p.name, p.slots])).toEqual([
      ['default_pool', 128],
      ['warehouse', 3],
    ]);
    expect(await cli('pools', 'delete', 'warehouse')).toMatchObject({
      status: 0,
      stdout: 'pool warehouse deleted\n',
    });
    expect(await cli('pools', 'delete', 'warehouse')).toMatchObject({
      status: 1,
      stderr: 'downbeat: no pool "warehouse"\n',
    });
    expect(await cli('pools', 'delete', 'default_pool')).toMatchObject({
      status: 1,
      stderr: 'downbeat: default_pool cannot be deleted (set its slots instead)\n',
    });
  });

  it('refuses bad SLOTS and names, with exit status 2 naming them', async () => {
    const slots = await cli('pools', 'set', 'warehouse', 'two');
    expect(slots.status).toBe(2);
    expect(slots.stderr).toContain('SLOTS must be a whole number ≥ 0, got "two"');
    const name = await cli('pools', 'set', 'a b', '1');
    expect(name.status).toBe(2);
    expect(name.stderr).toContain('pool name "a b" must be letters, digits, _ . or -');
  });
});
