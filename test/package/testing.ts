/** Running commands in a project outside this repository, as its user would from a shell. */
import { execFile } from 'node:child_process';

/** The environment of a user's shell: none of this test runner's own variables. */
const SHELL_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'NODE_ENV'),
);

/** Runs a command in `cwd` to its end. */
export function run(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: SHELL_ENV, maxBuffer: 32 << 20 }, (error, stdout, stderr) =>
      resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
