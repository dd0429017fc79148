/** Runs the CLI in this process, with `env` and its output captured (tests of the CLI itself). */
import { Readable, Writable } from 'node:stream';
import { main } from './main.ts';

export async function runCli(
  args: readonly string[],
  env: Record<string, string>,
  stdin = '',
): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (write: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        write(chunk.toString());
        done();
      },
    });
  const status = await main(args, {
    stdout: sink((text) => (stdout += text)),
    stderr: sink((text) => (stderr += text)),
    env,
    stdin: Readable.from([stdin]),
  });
  return { status, stdout, stderr };
}
