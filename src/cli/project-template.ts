/**
 * The files of a new project that `downbeat init` writes: a package of the user's own that
 * depends on this installation of downbeat, with a DAG, its test, and how to run them.
 */

export interface ProjectOptions {
  /** The package's name (from the folder's). */
  readonly name: string;
  /** Where downbeat is installed: the project depends on it as `file:` this path. */
  readonly downbeat: string;
  /** The versions of the project's tools: this installation's own. */
  readonly typescript: string;
  readonly vitest: string;
}

export function projectFiles(options: ProjectOptions): Record<string, string> {
  const packageJson = {
    name: options.name,
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: {
      test: 'vitest run',
      typecheck: 'tsc --noEmit',
      start: 'downbeat standalone',
    },
    dependencies: { downbeat: `file:${options.downbeat}` },
    devDependencies: { typescript: options.typescript, vitest: options.vitest },
    // npm runs only the install scripts a project allows: these two build downbeat's native parts.
    allowScripts: { 'better-sqlite3': true, esbuild: true },
  };
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      allowImportingTsExtensions: true,
      noEmit: true,
      skipLibCheck: true,
    },
    include: ['dags'],
  };
  return {
    'package.json': `${JSON.stringify(packageJson, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(tsconfig, null, 2)}\n`,
    '.gitignore': 'node_modules/\n.downbeat/\n',
    'dags/example.dag.ts': EXAMPLE_DAG,
    'dags/example.test.ts': EXAMPLE_TEST,
    'README.md': readme(options.name),
  };
}

const EXAMPLE_DAG = `import { dag, fn, sql } from 'downbeat';

/**
 * An example pipeline: each day, one row per day into a table of the embedded warehouse (a
 * DuckDB file under .downbeat/), then a count of the rows so far as the task's output.
 */
export default dag(
  { id: 'example', schedule: '@daily', startDate: '2024-01-01', defaultArgs: { retries: 1, retryDelay: '1m' } },
  (d) => {
    d.chain(
      d.task(
        'record_day',
        sql({
          statements: [
            'CREATE TABLE IF NOT EXISTS days (day DATE NOT NULL, recorded_at TIMESTAMP)',
            // Running the same day again replaces its row: every load is idempotent.
            'DELETE FROM days WHERE day = CAST(CAST($interval_start AS TIMESTAMP) AS DATE)',
            'INSERT INTO days VALUES (CAST(CAST($interval_start AS TIMESTAMP) AS DATE), CURRENT_TIMESTAMP)',
          ],
        }),
      ),
      d.task(
        'count_days',
        fn(async (context) => {
          const warehouse = await context.connections.warehouse('warehouse');
          const [row] = await warehouse.query<{ n: number }>('SELECT COUNT(*) AS n FROM days');
          context.log.info(\`\${Number(row?.n)} day(s) recorded\`);
          return { days: Number(row?.n), through: context.dataInterval.start.toISOString().slice(0, 10) };
        }),
      ),
    );
  },
);
`;

const EXAMPLE_TEST = `import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDag } from 'downbeat/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import example from './example.dag.ts';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'example-test-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

it('records each day once, however often it runs', async () => {
  const warehouse = \`duckdb://\${join(folder, 'warehouse.duckdb')}\`;
  for (const day of ['2024-01-01', '2024-01-02', '2024-01-02']) {
    const run = await runDag(example, day, { connections: { warehouse } });
    expect(run.state).toBe('success');
  }
  const run = await runDag(example, '2024-01-03', { connections: { warehouse } });
  expect(run.tasks.count_days?.output).toEqual({ days: 3, through: '2024-01-03' });
});
`;

function readme(name: string): string {
  return `# ${name}

Pipelines on Downbeat, a data-pipeline orchestrator for TypeScript. Each
\`dags/*.dag.ts\` file defines DAGs; the engine loads them with no build step, and again when one
changes.

\`\`\`sh
npm install                                        # once
npx downbeat dags list                             # the DAGs in ./dags, and files that failed to load
npx downbeat dags test example 2024-01-01          # one run of example, every task, in this process
npm test                                           # the tests next to the DAGs (vitest, downbeat/testing)
npm run typecheck                                  # tsc --noEmit over dags/
npx downbeat standalone                            # scheduler, workers and the web UI at http://127.0.0.1:8080
\`\`\`

State (the metadata DB, the embedded DuckDB warehouse) goes to \`.downbeat/\`; \`DOWNBEAT_HOME\` moves
it. Connections are URIs in \`DOWNBEAT_CONN_<ID>\` (\`DOWNBEAT_CONN_WAREHOUSE=postgres://…\`).
\`npx downbeat --help\` lists every command.
`;
}
