/**
 * The package as a user without this repository gets it: `npm pack`, the tarball installed into a
 * project elsewhere, a DAG there importing 'downbeat' — run by `downbeat dags test`, type-checked
 * by tsc (a type error in the DAG reported). npm compiles better-sqlite3 for the project: minutes.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPOSITORY } from '../../src/app/testing.ts';
import { run } from './testing.ts';

const DAG = `import { dag, fn, sql } from 'downbeat';

export default dag({ id: 'hello', schedule: '@daily', startDate: '2024-01-01' }, (d) => {
  d.chain(
    d.task('make', sql({ statements: ['CREATE OR REPLACE TABLE greetings AS SELECT 41 AS n'] })),
    d.task(
      'answer',
      fn(async (context) => {
        const warehouse = await context.connections.warehouse('warehouse');
        const [row] = await warehouse.query<{ n: number }>('SELECT n FROM greetings');
        return { answer: Number(row?.n) + 1, day: context.dataInterval.start.toISOString().slice(0, 10) };
      }),
    ),
  );
});
`;

let root: string;
let project: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'downbeat-pack-'));
  project = join(root, 'project');
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('the npm package', () => {
  it('installs from its tarball into a project of its own, runs its DAG and type-checks it', async () => {
    // dist/ and web/dist/ are built by the test command before the tests: pack them as they are.
    const pack = await run(
      'npm',
      ['pack', '--ignore-scripts', '--json', '--pack-destination', root],
      REPOSITORY,
    );
    expect(pack.status, pack.stderr).toBe(0);
    const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    if (!packed) throw new Error(`npm pack printed no tarball: ${pack.stdout}`);
    const paths = packed.files.map((f) => f.path);
    expect(paths).toContain('dist/index.js');
    expect(paths).toContain('dist/index.d.ts');
    expect(paths).toContain('web/dist/index.html');
    expect(paths.some((p) => p.startsWith('src/') || p.endsWith('.test.ts'))).toBe(false);

    await mkdir(join(project, 'dags'), { recursive: true });
    const own = JSON.parse(await readFile(join(REPOSITORY, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    await writeFile(
      join(project, 'package.json'),
      JSON.stringify({
        name: 'project',
        private: true,
        type: 'module',
        dependencies: { downbeat: `file:${join(root, packed.filename)}` },
        devDependencies: { typescript: own.devDependencies.typescript },
        allowScripts: { 'better-sqlite3': true, esbuild: true },
      }),
    );
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          allowImportingTsExtensions: true,
          skipLibCheck: false,
        },
        include: ['dags'],
      }),
    );
    await writeFile(join(project, 'dags', 'hello.dag.ts'), DAG);
    const install = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], project);
    expect(install.status, install.stderr).toBe(0);

    const test = await run('npx', ['downbeat', 'dags', 'test', 'hello', '2024-01-05'], project);
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toContain('output: {"answer":42,"day":"2024-01-05"}');

    const types = await run('npx', ['tsc', '--noEmit'], project);
    expect(types.status, types.stdout + types.stderr).toBe(0);
    await writeFile(join(project, 'dags', 'hello.dag.ts'), DAG.replace("{ id: 'hello',", '{ id: 42,'));
    const broken = await run('npx', ['tsc', '--noEmit'], project);
    expect(broken.status).not.toBe(0);
    expect(broken.stdout).toMatch(
      /dags\/hello\.dag\.ts\(\d+,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/,
    );
  }, 600_000);
});
