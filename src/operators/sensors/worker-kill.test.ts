/**
 * A sensor in reschedule mode keeps poking after its worker is killed with SIGKILL mid-poke:
 * `downbeat scheduler` and `downbeat worker` as processes on PostgreSQL, as a user runs them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, downbeat, linkDownbeat, until as waitUntil } from '../../app/testing.ts';
import { testDb, type TestDb } from '../../store/db/testing.ts';

let root: string;
let t: TestDb;
let env: NodeJS.ProcessEnv;
let output = '';
const children = new Set<ChildProcess>();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'downbeat-sensor-kill-'));
  const dags = join(root, 'dags');
  await mkdir(dags);
  await linkDownbeat(dags);
  // Each poke notes its start and takes a second: a kill just after the note lands in it.
  await writeFile(
    join(dags, 'sensing.dag.ts'),
    `import { appendFileSync, existsSync } from 'node:fs';
     import { dag, noop, sensorOperator } from 'downbeat';
     const landed = sensorOperator('landed', {}, { mode: 'reschedule', pokeInterval: '200ms', timeout: '5m' }, async () => {
       appendFileSync('${root}/pokes', 'poke\\n');
       await new Promise((resolve) => setTimeout(resolve, 1000));
       const met = existsSync('${root}/landed');
       return { met, detail: met ? 'landed' : 'not landed yet' };
     });
     export default dag({ id: 'sensing', schedule: null, startDate: '2018-11-01' }, (d) => {
       d.chain(d.task('wait', landed), d.task('after', noop()));
     });`,
  );
  t = await testDb('postgres');
  env = {
    ...process.env,
    DOWNBEAT_HOME: join(root, 'home'),
    DOWNBEAT_DAGS_FOLDER: dags,
    DOWNBEAT_DATABASE_URL: t.url,
    DOWNBEAT_HEARTBEAT_SECONDS: '0.5',
    DOWNBEAT_ZOMBIE_SECONDS: '3',
  };
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await t.drop();
  await rm(root, { recursive: true, force: true });
});

function start(args: string[]): ChildProcess {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}
const until = (check: () => Promise<boolean>, what: string) =>
  waitUntil(check, what, 60_000, () => `the processes printed:\n${output}`);
const sensor = async () =>
  (
    await t.db.query<{ state: string; try_number: number; first_started_at: number }>(
      "SELECT state, try_number, first_started_at FROM task_instances WHERE task_id = 'wait'",
    )
  )[0];
const pokes = async (tryNumber: number) =>
  (
    await t.db.query(
      "SELECT 1 FROM task_log_lines l JOIN task_instances ti ON ti.id = l.ti_id WHERE ti.task_id = 'wait' AND l.try_number = $1 AND l.text LIKE '%poking again%'",
      [tryNumber],
    )
  ).length;

describe('a sensor whose worker is killed', () => {
  it('is poked on by another worker, its timeout still counted from its first try, and succeeds', async () => {
    expect((await downbeat(['db', 'migrate'], env)).status).toBe(0);
    start(['scheduler']);
    const first = start(['worker']);
    expect((await downbeat(['dags', 'trigger', 'sensing', '--logical-date', '2018-11-05'], env)).status).toBe(
      0,
    );
    // The second poke of the first try has begun: the worker dies in it.
    await until(
      async () => (await readFile(join(root, 'pokes'), 'utf8').catch(() => '')).split('\n').length > 2,
      'a second poke',
    );
    const before = await sensor();
    first.kill('SIGKILL');
    start(['worker']);
    await until(async () => (await pokes(2)) >= 1, 'the next worker to poke, on a new try');
    await writeFile(join(root, 'landed'), '');
    await until(async () => {
      const [run] = await t.db.query<{ state: string }>('SELECT state FROM dag_runs');
      return run?.state === 'success';
    }, 'the run to succeed');
    const tries = await t.db.query<{ try_number: number; state: string }>(
      "SELECT try_number, state FROM task_tries WHERE ti_id = (SELECT id FROM task_instances WHERE task_id = 'wait') ORDER BY try_number",
    );
    expect(tries).toEqual([
      { try_number: 1, state: 'lost' },
      { try_number: 2, state: 'success' },
    ]);
    expect(Number((await sensor())?.first_started_at)).toBe(Number(before?.first_started_at));
  }, 120_000);
});
