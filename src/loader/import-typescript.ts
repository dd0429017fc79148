import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

/** This module runs as TypeScript only under something that already compiles it (vitest, tsx). */
const COMPILED = import.meta.url.endsWith('.js');
let registered = false;

/**
 * Imports a TypeScript file of the user's (a DAG file, a pipeline's commands) with no build step:
 * in the compiled engine (dist/), the first call registers ts-hooks for the rest of the process.
 * Run from its sources, the runner that compiles them compiles the user's files too.
 * `generation`: a DAG folder loaded again imports its files afresh (see ts-hooks).
 */
export async function importTypeScript(path: string, generation?: number): Promise<unknown> {
  if (!registered && COMPILED) {
    register(new URL('./ts-hooks.js', import.meta.url).href);
    registered = true;
  }
  const url = pathToFileURL(path);
  if (generation !== undefined) url.searchParams.set('downbeat-generation', String(generation));
  return import(url.href);
}
