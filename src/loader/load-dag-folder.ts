import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Dag, DAG_BRAND, DAG_COPY, type PipelineCommand, type PipelineSample } from '../dag/index.ts';
import { importTypeScript } from './import-typescript.ts';

/** A DAG file that could not be loaded, with its error, so that the others still load. */
export interface DagLoadError {
  readonly file: string;
  readonly message: string;
}

export interface DagFolder {
  readonly dags: ReadonlyMap<string, Dag>;
  /** Which file defined each DAG, relative to the folder. */
  readonly files: ReadonlyMap<string, string>;
  readonly errors: readonly DagLoadError[];
}

/** Finds files below `folder` whose names end with `suffix`, in path order. */
async function findFiles(folder: string, suffix: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(folder, { recursive: true });
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.endsWith(suffix) && !entry.split('/').includes('node_modules'))
    .sort()
    .map((entry) => join(folder, entry));
}

/**
 * Loads every `*.dag.ts` below the folder. A file may export DAGs under any names (the default
 * export too). A file that throws, exports no DAG, or repeats a DAG id is reported and skipped.
 */
export async function loadDagFolder(folder: string): Promise<DagFolder> {
  const dags = new Map<string, Dag>();
  const files = new Map<string, string>();
  const errors: DagLoadError[] = [];
  for (const path of await findFiles(folder, '.dag.ts')) {
    const file = relative(folder, path);
    try {
      const module = (await importTypeScript(path)) as Record<string, unknown>;
      const found = Object.values(module).filter((value): value is Dag => value instanceof Dag);
      if (found.length === 0) throw new Error(foreignDag(module) ?? 'it exports no DAG');
      for (const dag of new Set(found)) {
        const other = files.get(dag.id);
        if (other) throw new Error(`DAG id "${dag.id}" is already defined in ${other}`);
        dags.set(dag.id, dag);
        files.set(dag.id, file);
      }
    } catch (error) {
      errors.push({ file, message: explain(error, folder) });
    }
  }
  return { dags, files, errors };
}

/** What to say of a module whose DAG was made by another copy of Downbeat than this one. */
function foreignDag(module: Record<string, unknown>): string | undefined {
  for (const value of Object.values(module)) {
    const copy =
      typeof value === 'object' && value !== null ? (value as Record<symbol, unknown>)[DAG_BRAND] : undefined;
    if (typeof copy === 'string')
      return (
        `its DAG was made by another copy of downbeat (${copy}) than the one running it ` +
        `(${DAG_COPY}): import it from 'downbeat', installed once in the project`
      );
  }
  return undefined;
}

/** Node's message for a `.ts` file read as CommonJS is cryptic; say what to do instead. */
function explain(error: unknown, folder: string): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/require\(\) ES Module|ERR_REQUIRE_ESM|Cannot use import statement outside a module/.test(message)) {
    return `${message} — DAG files are ES modules: add a package.json containing {"type": "module"} to ${folder}`;
  }
  return message;
}

/** Loads the commands (default export) and sample data (`samples`) pipelines add, from every `*.cli.ts`. */
export async function loadPipelineCommands(
  folder: string,
): Promise<{ commands: PipelineCommand[]; samples: PipelineSample[]; errors: DagLoadError[] }> {
  const commands: PipelineCommand[] = [];
  const samples: PipelineSample[] = [];
  const errors: DagLoadError[] = [];
  for (const path of await findFiles(folder, '.cli.ts')) {
    try {
      const module = (await importTypeScript(path)) as { default?: unknown; samples?: unknown };
      if (!Array.isArray(module.default)) throw new Error('its default export is not an array of commands');
      commands.push(...(module.default as PipelineCommand[]));
      if (Array.isArray(module.samples)) samples.push(...(module.samples as PipelineSample[]));
    } catch (error) {
      errors.push({
        file: relative(folder, path),
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return { commands, samples, errors };
}
