/** Helpers for tests and benches that run `downbeat` as a user does: as a process. */
import { execFile } from 'node:child_process';

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
