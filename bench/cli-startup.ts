/**
 * CLI start-up: wall time of whole `downbeat` processes, median of N each — `--help`, `dags list`
 * (the repository's pipelines), and one `dags test` of a Sparkify hour on a small generated
 * sample, start-up included. With --before DIR, the same commands of another checkout (a worktree
 * of an older commit) run alternately with this one's, each pair one after the other.
 *
 *   node --import tsx bench/cli-startup.ts [--runs 10] [--before /tmp/downbeat-before]
 *
 * Prints one JSON line: { "<checkout>": { "help_ms", "dags_list_ms", "dags_test_ms" } }.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '10' }, before: { type: 'string' } },
});
const runs = Number(values.runs);
const here = new URL('..', import.meta.url).pathname;
const checkouts: Record<string, string> = {
  after: here,
  ...(values.before ? { before: values.before } : {}),
};

const root = await mkdtemp(join(tmpdir(), 'downbeat-cli-bench-'));
const source = join(root, 'source');
const env = (home: string) => ({
  ...process.env,
  DOWNBEAT_HOME: join(root, home),
  DOWNBEAT_CONN_SPARKIFY_SOURCE: `file://${source}`,
});

/** Runs `downbeat ARGS` in a checkout to its end; its wall time in ms. */
function timed(checkout: string, args: string[], home: string): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, [join(checkout, 'bin/downbeat.js'), ...args], {
    env: env(home),
    encoding: 'utf8',
  });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`downbeat ${args.join(' ')} in ${checkout}: ${result.stderr}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

try {
  timed(
    here,
    ['sparkify', 'generate', '--out', source, '--start', '2018-11-01', '--end', '2018-11-03'],
    'gen',
  );
  const commands: Record<string, string[]> = {
    help_ms: ['--help'],
    dags_list_ms: ['dags', 'list'],
    dags_test_ms: ['dags', 'test', 'sparkify_etl', '2018-11-02T10:00:00Z'],
  };
  const samples: Record<string, Record<string, number[]>> = {};
  for (const [side, checkout] of Object.entries(checkouts)) {
    samples[side] = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
    // A first run of each: a checkout's own build, the metadata DB's creation, the warehouse's tables.
    for (const args of Object.values(commands)) timed(checkout, args, side);
  }
  for (let i = 0; i < runs; i += 1) {
    for (const [name, args] of Object.entries(commands)) {
      for (const [side, checkout] of Object.entries(checkouts))
        samples[side]?.[name]?.push(timed(checkout, args, side));
    }
  }
  const result = Object.fromEntries(
    Object.entries(samples).map(([side, byCommand]) => [
      side,
      Object.fromEntries(Object.entries(byCommand).map(([name, xs]) => [name, Math.round(median(xs))])),
    ]),
  );
  process.stdout.write(`${JSON.stringify({ runs, ...result })}\n`);
} finally {
  await rm(root, { recursive: true, force: true });
}
