/**
 * The shape of src/ that review would otherwise have to watch: no file over 400 lines (tests and
 * `testing.ts` helpers aside), no import cycle between files, and the lifecycle rules used by both
 * the store and the in-process runner. (What lifecycle/ may import is an ESLint rule.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCycle } from '../src/dag/graph.ts';

const SRC = new URL('../src/', import.meta.url).pathname;
const MAX_LINES = 400;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const isTestOrHelper = (path: string) => /\.test\.tsx?$/.test(path) || /(^|\/)testing\.ts$/.test(path);

/** The files a file imports (statically, type imports included, re-exports too), resolved. */
function importsOf(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const found = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?\bfrom\s+'(\.[^']+)'/gms)].map(
    (m) => m[1] ?? '',
  );
  return found.map((spec) => resolve(dirname(path), spec));
}

/** A cycle of imports as the files on it (the first repeated at the end), or undefined. */
function importCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  return findCycle([...graph].map(([id, next]) => ({ id, next })));
}

describe('the shape of src/', () => {
  const files = sourceFiles(SRC);

  it(`has no source file over ${MAX_LINES} lines`, () => {
    const long = files
      .filter((f) => !isTestOrHelper(f))
      .map((f) => ({ file: relative(SRC, f), lines: readFileSync(f, 'utf8').split('\n').length - 1 }))
      .filter((f) => f.lines > MAX_LINES);
    expect(long).toEqual([]);
  });

  it('has no import cycle between its files', () => {
    const graph = new Map(files.map((f) => [f, importsOf(f).filter((i) => i.startsWith(SRC))]));
    const cycle = importCycle(graph);
    expect(cycle?.map((f) => relative(SRC, f))).toBeUndefined();
  });

  it('finds a cycle when there is one (the check itself)', () => {
    expect(
      importCycle(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
        ]),
      ),
    ).toEqual(['a', 'b', 'c', 'a']);
    expect(
      importCycle(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toBeUndefined();
  });

  it('decides runs with src/lifecycle/ in the store and in the in-process runner alike', () => {
    const users = (folder: string) =>
      files.filter(
        (f) => f.startsWith(join(SRC, folder)) && importsOf(f).some((i) => i.includes('/src/lifecycle/')),
      );
    expect(users('store/').length).toBeGreaterThan(0);
    expect(users('executor/').map((f) => relative(SRC, f))).toContain('executor/run-in-process.ts');
  });
});
