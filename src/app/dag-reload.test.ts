/**
 * DAG reload as a user sees it, with a real `downbeat standalone` process: a DAG file edited, broken
 * and fixed again while it runs, and what the API shows each time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Api from '../server/api/types.ts';
import { BIN, linkDownbeat, until } from './testing.ts';

const AUTH = `Basic ${Buffer.from('reloader:reload-me-please').toString('base64')}`;
const dagFile = (tasks: string[]) => `import { dag, noop } from 'downbeat';
export default dag({ id: 'reloaded', schedule: '@hourly', startDate: '2020-01-01' }, (d) => {
  d.chain(${tasks.map((t) => `d.task('${t}', noop())`).join(', ')});
});
`;

let root: string;
let dags: string;
let server: ChildProcess;
let url = '';
let output = '';

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${url}/api/v1${path}`, {
    ...init,
    headers: { authorization: AUTH, 'content-type': 'application/json' },
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
const tasksOf = async () => (await api<Api.DagDetail>('/dags/reloaded')).tasks.map((t) => t.task_id);
const importErrors = async () => (await api<Api.Page<Api.ImportError>>('/importErrors')).items;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'downbeat-reload-'));
  dags = join(root, 'dags');
  await mkdir(dags);
  await linkDownbeat(dags);
  await writeFile(join(dags, 'reloaded.dag.ts'), dagFile(['first']));
  server = spawn(process.execPath, [BIN, 'standalone', '--port', '0'], {
    env: {
      ...process.env,
      DOWNBEAT_HOME: join(root, 'home'),
      DOWNBEAT_DAGS_FOLDER: dags,
      DOWNBEAT_ADMIN_USER: 'reloader',
      DOWNBEAT_ADMIN_PASSWORD: 'reload-me-please',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await until(
    async () => /web UI (http:\/\/[\d.:]+)/.test(output),
    'standalone to print its URL',
    60_000,
    () => output,
  );
  url = /web UI (http:\/\/[\d.:]+)/.exec(output)?.[1] ?? '';
}, 120_000);

afterAll(async () => {
  if (server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  await rm(root, { recursive: true, force: true });
});

/** Waits for `check`, at most `ms`, and says how long it took. */
async function within(ms: number, what: string, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  await until(check, what, ms, () => output);
  return Date.now() - started;
}

describe('a DAG file changed while standalone runs', () => {
  it('is loaded again: an added task shows within 2 s, with a new version', async () => {
    expect(await tasksOf()).toEqual(['first']);
    const before = (await api<Api.DagDetail>('/dags/reloaded')).version;
    await writeFile(join(dags, 'reloaded.dag.ts'), dagFile(['first', 'second']));
    const ms = await within(2_000, 'the added task in the API', async () =>
      (await tasksOf()).includes('second'),
    );
    expect(ms).toBeLessThan(2_000);
    const after = (await api<Api.DagDetail>('/dags/reloaded')).version;
    expect(after).not.toBe(before);
    expect(output).toContain('DAGs folder reloaded: changed reloaded');
  });

  it('broken, shows its import error and keeps its last good version scheduled; fixed, the error goes', async () => {
    await writeFile(
      join(dags, 'reloaded.dag.ts'),
      "import { dag } from 'downbeat';\nexport default dag({ id: 'reloaded' ",
    );
    await within(2_000, 'the import error', async () =>
      (await importErrors()).some((e) => e.file === 'reloaded.dag.ts'),
    );
    const kept = await api<Api.DagDetail>('/dags/reloaded');
    expect(kept).toMatchObject({ is_active: true });
    expect(kept.tasks.map((t) => t.task_id)).toEqual(['first', 'second']);
    // Still scheduled: unpaused, the scheduler creates its latest interval's run from the last good version.
    await api('/dags/reloaded', { method: 'PATCH', body: JSON.stringify({ is_paused: false }) });
    await within(20_000, 'a scheduled run of the last good version', async () => {
      const runs = await api<Api.Page<Api.DagRun>>('/dags/reloaded/dagRuns');
      return runs.items.some((r) => r.run_type === 'scheduled' && r.dag_version === kept.version);
    });
    await writeFile(join(dags, 'reloaded.dag.ts'), dagFile(['first', 'second', 'third']));
    await within(2_000, 'the error to go', async () => (await importErrors()).length === 0);
    expect(await tasksOf()).toEqual(['first', 'second', 'third']);
  });

  it('removed, is no longer active, its runs kept', async () => {
    await unlink(join(dags, 'reloaded.dag.ts'));
    await within(
      2_000,
      'the DAG to be inactive',
      async () => !(await api<Api.DagDetail>('/dags/reloaded')).is_active,
    );
    expect((await api<Api.Page<Api.DagRun>>('/dags/reloaded/dagRuns')).total_entries).toBeGreaterThan(0);
  });
});
