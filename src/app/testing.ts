/** Helpers for tests and benches that run `downbeat` as a user does: as a process. */
import { execFile } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The `downbeat` command of this checkout. */
export const BIN = new URL('../../bin/downbeat.js', import.meta.url).pathname;

/** Runs `downbeat ARGS` to its end. */
export function downbeat(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env }, (error, stdout, stderr) =>
      resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Waits (in real time, polling) until `check` holds; the error says what for, and `context()` adds detail. */
export async function until(
  check: () => Promise<boolean>,
  what: string,
  ms = 60_000,
  context: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}${context() ? `:\n${context()}` : ''}`);
}

/** This checkout: what `downbeat` resolves to in a folder that linkDownbeat made. */
export const REPOSITORY = new URL('../../', import.meta.url).pathname;

/**
 * Makes `import … from 'downbeat'` work for DAG files in `folder` (a temp folder of a test), as
 * in a user's project that installed it: `folder/node_modules/downbeat` links to this checkout,
 * and `folder/package.json` says `"type": "module"`.
 */
export async function linkDownbeat(folder: string): Promise<void> {
  await mkdir(join(folder, 'node_modules'), { recursive: true });
  await symlink(REPOSITORY, join(folder, 'node_modules', 'downbeat'), 'dir');
  await writeFile(join(folder, 'package.json'), '{"type": "module"}\n');
}
