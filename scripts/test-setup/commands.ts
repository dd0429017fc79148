/** Finding and running the commands the test script needs, with Ctrl-C leaving nothing behind. */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { constants as os } from 'node:os';
import { delimiter, join } from 'node:path';

/** `test setup: …`, one line per thing checked or installed. */
export function say(line: string): void {
  process.stdout.write(`test setup: ${line}\n`);
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** What `command -v NAME` finds, without a shell: the PATH given is the one searched. */
export function findOnPath(name: string, path: string | undefined): string | undefined {
  return (path ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, name))
    .find(isExecutable);
}

let child: ChildProcess | undefined;
let signalled: NodeJS.Signals | undefined;

/** The signal that asked us to stop, if one did: nothing more is started after it. */
export function interrupted(): NodeJS.Signals | undefined {
  return signalled;
}

/**
 * Catches the signals that would end this process, so that what it started (a PostgreSQL cluster)
 * is stopped before it exits. Ctrl-C already reaches the child through the terminal's process
 * group, and a second SIGINT would make vitest quit without its own cleanup: only the others are
 * passed on.
 */
export function catchSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => {
      signalled = signal;
      if (signal !== 'SIGINT') child?.kill(signal);
    });
}

/** Runs a command with our stdio; resolves to its exit status (128 + the signal's number if killed). */
export function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (signalled) return Promise.resolve(128 + os.signals[signalled]);
  return new Promise((resolve) => {
    const started = spawn(command, args, { stdio: 'inherit', env });
    child = started;
    started.once('error', (error) => {
      process.stderr.write(`${command}: ${error.message}\n`);
      resolve(127);
    });
    started.once('exit', (code, signal) => {
      child = undefined;
      resolve(code ?? 128 + (signal ? os.signals[signal] : 0));
    });
  });
}
