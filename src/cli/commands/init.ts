import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, UsageError } from '../args.ts';
import { print, type CliIo } from '../io.ts';
import { projectFiles } from '../project-template.ts';

export const help = `Usage: downbeat init DIR

Writes a new project of your own into DIR (created if needed; it must be empty): a package.json
with "type": "module" that depends on this installation of downbeat (as file:, until downbeat is
on a registry), a tsconfig.json, dags/example.dag.ts (a DAG of an sql and an fn task on the embedded
DuckDB warehouse), its test with downbeat/testing, and a README with the commands. Then:

  cd DIR && npm install
  npx downbeat dags test example 2024-01-01
  npm test`;

/** This installation of downbeat: the package folder around the running CLI. */
const INSTALLATION = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export async function init(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parse(args, {});
  const [target, ...extra] = positionals;
  if (!target || extra.length > 0) throw new UsageError(`expected DIR\n\n${help}`);
  const folder = resolve(target);
  const present = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    if (error.code === 'ENOTDIR') throw new UsageError(`${folder} is a file, not a folder`);
    throw error;
  });
  if (present.length > 0)
    throw new UsageError(
      `${folder} is not empty (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', …' : ''}): init writes into an empty folder only`,
    );
  const own = JSON.parse(await readFile(join(INSTALLATION, 'package.json'), 'utf8')) as {
    devDependencies?: Record<string, string>;
  };
  const files = projectFiles({
    name: packageName(basename(folder)),
    downbeat: INSTALLATION,
    typescript: own.devDependencies?.typescript ?? '~5.9',
    vitest: own.devDependencies?.vitest ?? '~4.1',
  });
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(folder, path)), { recursive: true });
    await writeFile(join(folder, path), text, { flag: 'wx' });
  }
  print(io.stdout, `a new project in ${folder}:`);
  for (const path of Object.keys(files)) print(io.stdout, `  ${path}`);
  print(
    io.stdout,
    `next: cd ${target} && npm install && npx downbeat dags test example 2024-01-01 && npm test`,
  );
  return 0;
}

/** A folder's name as an npm package name: lower case, letters, digits, `-`, `_` and `.`. */
function packageName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  return cleaned || 'pipelines';
}
