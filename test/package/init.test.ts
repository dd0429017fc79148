/**
 * `downbeat init` as a new user runs it: a project outside this repository, installed with npm
 * (downbeat as `file:` this checkout), whose own commands work — `dags test`, `npm test`, `tsc`.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downbeat } from '../../src/app/testing.ts';
import { run } from './testing.ts';

let root: string;
let project: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'downbeat-init-'));
  project = join(root, 'my-pipelines');
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('downbeat init', () => {
  it('writes a project whose dags test, npm test and type check pass', async () => {
    const made = await downbeat(['init', project], process.env);
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toContain('dags/example.dag.ts');

    const install = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], project);
    expect(install.status, install.stderr).toBe(0);

    const test = await run('npx', ['downbeat', 'dags', 'test', 'example', '2024-01-01'], project);
    expect(test.status, test.stderr).toBe(0);
    expect(test.stdout).toContain('output: {"days":1,"through":"2024-01-01"}');
    expect(test.stdout).toMatch(/success: 2 of 2 task\(s\) succeeded/);

    const own = await run('npm', ['test'], project);
    expect(own.status, own.stdout + own.stderr).toBe(0);
    expect(own.stdout).toMatch(/1 passed/);

    const types = await run('npm', ['run', 'typecheck'], project);
    expect(types.status, types.stdout + types.stderr).toBe(0);
  }, 300_000);

  it('refuses a folder that is not empty, naming it, and writes nothing there', async () => {
    const full = join(root, 'full');
    await mkdir(full);
    await writeFile(join(full, 'notes.txt'), 'mine');
    const result = await downbeat(['init', full], process.env);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${full} is not empty (notes.txt)`);
  });
});
