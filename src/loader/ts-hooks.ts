/**
 * Node module hooks (module.register) for DAG files: TypeScript compiled by esbuild as it loads,
 * for files outside node_modules only, so that `downbeat` and every other package load as their
 * own JavaScript. A DAG folder loaded again (a file changed) is imported under a new generation,
 * `?downbeat-generation=N`: the DAG files and the files they import by path are evaluated afresh,
 * while packages stay the instances the engine itself uses (the very `Dag` class it checks).
 * Runs in Node's loader thread: it may import nothing of Downbeat's.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const GENERATION = 'downbeat-generation';
const TS = /\.(ts|mts|cts|tsx)$/;

interface ResolveContext {
  readonly parentURL?: string;
  readonly conditions: readonly string[];
}
interface Resolved {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<Resolved>;
interface LoadContext {
  readonly format?: string | null;
}
interface Loaded {
  format: string;
  source?: string | ArrayBuffer | Uint8Array | null;
  shortCircuit?: boolean;
}
type NextLoad = (url: string, context: LoadContext) => Promise<Loaded>;

const isLocalFile = (url: string) => url.startsWith('file:') && !url.includes('/node_modules/');

export async function resolve(
  specifier: string,
  context: ResolveContext,
  next: NextResolve,
): Promise<Resolved> {
  let resolved: Resolved;
  try {
    resolved = await next(specifier, context);
  } catch (error) {
    // TypeScript's own convention: `./helper.js` names the file `./helper.ts`. When there is no
    // such file either, Node's own error (naming the module and the file importing it) stands.
    if (!/^\.\.?\/.*\.js$/.test(specifier)) throw error;
    try {
      resolved = await next(specifier.replace(/\.js$/, '.ts'), context);
    } catch {
      throw error;
    }
  }
  // A file the DAG names by its path is the DAG's own code, loaded afresh with it; a package (a
  // bare name, even one linked from outside node_modules) stays the instance already loaded.
  const byPath = /^(\.{0,2}\/|file:)/.test(specifier);
  const generation = context.parentURL && new URL(context.parentURL).searchParams.get(GENERATION);
  if (generation && byPath && isLocalFile(resolved.url)) {
    const url = new URL(resolved.url);
    url.searchParams.set(GENERATION, generation);
    return { ...resolved, url: url.href };
  }
  return resolved;
}

export async function load(url: string, context: LoadContext, next: NextLoad): Promise<Loaded> {
  const path = url.startsWith('file:') ? fileURLToPath(url.split('?')[0] ?? url) : '';
  if (!isLocalFile(url) || !TS.test(path)) return next(url, context);
  const { code } = await transform(await readFile(path, 'utf8'), {
    loader: path.endsWith('x') ? 'tsx' : 'ts',
    format: 'esm',
    target: 'node20',
    sourcefile: path,
    sourcemap: 'inline',
  });
  return { format: 'module', source: code, shortCircuit: true };
}
