import { relative } from 'node:path';
import { Dag, DAG_BRAND, DAG_COPY } from '../dag/index.ts';
import { findFiles } from './find-files.ts';
import { importTypeScript } from './import-typescript.ts';
import { loadErrorMessage } from './load-error-message.ts';
import { notAnEsModule } from './module-kind.ts';

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

/**
 * Loads every `*.dag.ts` below the folder. A file may export DAGs under any names (the default
 * export too). A file that throws, exports no DAG, or repeats a DAG id is reported and skipped.
 * `generation`: loading the folder again (a file changed) imports every file afresh.
 */
export async function loadDagFolder(folder: string, generation?: number): Promise<DagFolder> {
  const dags = new Map<string, Dag>();
  const files = new Map<string, string>();
  const errors: DagLoadError[] = [];
  for (const path of await findFiles(folder, '.dag.ts')) {
    const file = relative(folder, path);
    try {
      const kind = notAnEsModule(path);
      if (kind) throw new Error(kind);
      const module = (await importTypeScript(path, generation)) as Record<string, unknown>;
      const found = Object.values(module).filter((value): value is Dag => value instanceof Dag);
      if (found.length === 0) throw new Error(foreignDag(module) ?? 'it exports no DAG');
      for (const dag of new Set(found)) {
        const other = files.get(dag.id);
        if (other) throw new Error(`DAG id "${dag.id}" is already defined in ${other}`);
        dags.set(dag.id, dag);
        files.set(dag.id, file);
      }
    } catch (error) {
      errors.push({ file, message: loadErrorMessage(error) });
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
