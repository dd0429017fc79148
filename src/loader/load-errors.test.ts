/**
 * DAG files that cannot load, as `downbeat dags list` (the compiled CLI, as a user runs it) reports
 * them: each names its file and what is wrong; the other DAGs still load.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downbeat, linkDownbeat } from '../app/testing.ts';

let root: string;
let listed: { status: number; stdout: string; stderr: string };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'downbeat-load-errors-'));
  const dags = join(root, 'dags');
  await mkdir(join(dags, 'commonjs'), { recursive: true });
  await linkDownbeat(dags);
  const good = (id: string) =>
    `import { dag, noop } from 'downbeat';\nexport default dag({ id: '${id}', schedule: null, startDate: '2024-01-01' }, (d) => { d.task('t', noop()); });\n`;
  await writeFile(join(dags, 'good.dag.ts'), good('good'));
  await writeFile(
    join(dags, 'missing-package.dag.ts'),
    `import { nothing } from 'no-such-package';\n${good('a')}void nothing;\n`,
  );
  await writeFile(
    join(dags, 'missing-file.dag.ts'),
    `import { helper } from './helpers/absent.ts';\n${good('b')}void helper;\n`,
  );
  await writeFile(join(dags, 'commonjs', 'package.json'), '{"type": "commonjs"}');
  await writeFile(join(dags, 'commonjs', 'old.dag.ts'), good('c'));
  listed = await downbeat(['dags', 'list'], {
    ...process.env,
    DOWNBEAT_DAGS_FOLDER: dags,
    DOWNBEAT_HOME: join(root, 'home'),
  });
}, 60_000);
afterAll(() => rm(root, { recursive: true, force: true }));

describe('a DAG file that cannot load', () => {
  it('does not stop the others', () => {
    expect(listed.stdout).toMatch(/^good\s+good\.dag\.ts/m);
    expect(listed.status).toBe(1);
  });

  it('that imports a package that is not installed names the file and the package', () => {
    expect(listed.stderr).toMatch(
      /warning: missing-package\.dag\.ts failed to load: Cannot find package 'no-such-package' imported from \S*missing-package\.dag\.ts\n/,
    );
  });

  it('that imports a file that is not there names the file it looked for', () => {
    expect(listed.stderr).toMatch(
      /warning: missing-file\.dag\.ts failed to load: Cannot find module '\S*helpers\/absent\.ts' imported from \S*missing-file\.dag\.ts\n/,
    );
  });

  it('in a CommonJS package says to add "type": "module"', () => {
    expect(listed.stderr).toContain(
      `warning: commonjs/old.dag.ts failed to load: it is in a CommonJS package (${join(root, 'dags', 'commonjs', 'package.json')} has no "type": "module"): DAG files are ES modules, add "type": "module" to it`,
    );
  });
});
