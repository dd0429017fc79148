import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Why a DAG file cannot be an ES module, if it cannot: the nearest package.json above it (the one
 * Node and TypeScript read) must say `"type": "module"`, as a project `downbeat init` made does.
 */
export function notAnEsModule(path: string): string | undefined {
  for (let folder = dirname(path); ; folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest)) {
      let type: unknown;
      try {
        type = (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type;
      } catch (error) {
        return `${manifest} is not JSON (${(error as Error).message})`;
      }
      return type === 'module'
        ? undefined
        : `it is in a CommonJS package (${manifest} has no "type": "module"): DAG files are ES modules, add "type": "module" to it`;
    }
    if (dirname(folder) === folder)
      return `no package.json above it says "type": "module": DAG files are ES modules, add a package.json containing {"type": "module"} to ${dirname(path)} or a folder above`;
  }
}
