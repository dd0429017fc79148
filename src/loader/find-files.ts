import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Folders a DAGs folder may hold that never hold DAG files: packages, and hidden folders. */
const SKIPPED = (name: string) => name === 'node_modules' || name.startsWith('.');

/** Files below `folder` whose names end with `suffix`, as paths, in path order; none if it is missing. */
export async function findFiles(folder: string, suffix: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw error;
  }
  const found: string[] = [];
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory() && !SKIPPED(entry.name)) found.push(...(await findFiles(path, suffix)));
    else if (entry.isFile() && entry.name.endsWith(suffix)) found.push(path);
  }
  return found.sort();
}
