/**
 * A secret put into a connection never appears in any output of a failing run: the CLI's output,
 * the task's log and error in the metadata DB, the REST API's answers, even when the failing SQL
 * statement contains it; nor in the audit log of the connections added with it.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_POSTGRES_URL } from '../store/db/testing.ts';
import { BIN, downbeat, linkDownbeat, until } from '../app/testing.ts';

const SECRET = 'hunter2-Zq9';
let root: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'downbeat-secrets-'));
  const dags = join(root, 'dags');
  await mkdir(dags);
  await linkDownbeat(dags);
  await writeFile(
    join(dags, 'leaky.dag.ts'),
    // The statement is built at run time (here from the environment), so the secret is in no
    // DAG definition: only in the connection, and in the SQL that fails.
    `import { dag } from 'downbeat';
     const leak = {
       kind: 'leak',
       describe: () => ({}),
       async execute(context) {
         const warehouse = await context.connections.warehouse('warehouse');
         await warehouse.execute("SELECT '" + process.env.LEAKY_SECRET + "' AS leaked FROM no_such_table");
         return {};
       },
     };
     export default dag({ id: 'leaky', schedule: '@daily', startDate: '2018-11-01' }, (d) => {
       d.task('fails', leak);
     });`,
  );
  // PostgreSQL with trust auth accepts any password: the connection works and carries the secret.
  const url = new URL(TEST_POSTGRES_URL);
  url.password = SECRET;
  env = {
    ...process.env,
    DOWNBEAT_HOME: join(root, 'home'),
    DOWNBEAT_DAGS_FOLDER: dags,
    DOWNBEAT_CONN_WAREHOUSE: url.toString(),
    LEAKY_SECRET: SECRET,
  };
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe('secrets in a failing run', () => {
  it('are masked in what dags test prints', async () => {
    const result = await downbeat(['dags', 'test', 'leaky', '2018-11-01', '--verbose'], env);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no_such_table');
    expect(result.stderr).toContain("SELECT '***'");
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it('are masked in the log and error a backfill stores in the metadata DB', async () => {
    const result = await downbeat(
      ['dags', 'backfill', 'leaky', '--start', '2018-11-01', '--end', '2018-11-02'],
      env,
    );
    expect(result.status).toBe(1);
    expect(result.stdout + result.stderr).not.toContain(SECRET);
    const bytes = await readFile(join(root, 'home', 'metadata.sqlite'));
    const wal = await readFile(join(root, 'home', 'metadata.sqlite-wal')).catch(() => Buffer.alloc(0));
    expect(bytes.includes('no_such_table') || wal.includes('no_such_table')).toBe(true);
    expect(bytes.includes(SECRET)).toBe(false);
    expect(wal.includes(SECRET)).toBe(false);
  });

  it('are masked in every API answer about the failed run, and in the connections list', async () => {
    expect(
      (await downbeat(['connections', 'add', 'stored_pg', '--uri', `postgres://etl:${SECRET}@db/dw`], env))
        .status,
    ).toBe(0);
    const child = spawn(process.execPath, [BIN, 'webserver', '--port', '0'], {
      env: { ...env, DOWNBEAT_ADMIN_USER: 'ops', DOWNBEAT_ADMIN_PASSWORD: 'ops-password' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await until(
        () => Promise.resolve(/webserver: http/.test(output)),
        'the webserver starts',
        30_000,
        () => output,
      );
      const url = /webserver: (http:\/\/[\d.:]+)/.exec(output)?.[1] ?? '';
      const admin = `Basic ${Buffer.from('ops:ops-password').toString('base64')}`;
      const added = await fetch(`${url}/api/v1/connections`, {
        method: 'POST',
        headers: { authorization: admin, 'content-type': 'application/json' },
        body: JSON.stringify({
          connection_id: 'api_pg',
          uri: `postgres://etl:${SECRET}@db/dw?password=${SECRET}`,
        }),
      });
      expect(added.status).toBe(201);
      const get = async (path: string) => {
        const response = await fetch(`${url}${path}`, {
          headers: { authorization: `Basic ${Buffer.from('ops:ops-password').toString('base64')}` },
        });
        expect(response.status, path).toBe(200);
        return response.text();
      };
      const runs = JSON.parse(await get('/api/v1/dags/leaky/dagRuns')) as { items: { dag_run_id: string }[] };
      const run = `/api/v1/dags/leaky/dagRuns/${encodeURIComponent(runs.items[0]?.dag_run_id ?? '')}`;
      const answers = [
        await get('/api/v1/dags'),
        await get('/api/v1/dags/leaky'),
        JSON.stringify(runs),
        await get(`${run}/taskInstances`),
        await get(`${run}/taskInstances/fails/tries`),
        await get(`${run}/taskInstances/fails/logs/1`),
        await get(`${run}/checks`),
        await get('/api/v1/dags/leaky/grid'),
        await get('/api/v1/connections'),
        await get('/metrics'),
        await get('/api/v1/eventLogs'),
      ].join('\n');
      expect(answers).toContain('no_such_table');
      expect(answers).toContain('stored_pg');
      expect(answers).toContain('"action":"connection.add","object":"api_pg"');
      expect(answers).not.toContain(SECRET);
      expect(output).not.toContain(SECRET);
    } finally {
      child.kill('SIGTERM');
    }
    // The audit log has both connections, the CLI's and the API's, and neither secret: in what
    // `audit list` prints and in the database's bytes.
    const audit = await downbeat(['audit', 'list', '--action', 'connection.add', '--json'], env);
    expect(audit.stdout).toContain('"object": "stored_pg"');
    expect(audit.stdout).toContain('postgres://etl:***@db/dw');
    expect(audit.stdout).not.toContain(SECRET);
    await until(
      () => Promise.resolve(child.exitCode !== null || child.signalCode !== null),
      'the webserver exits',
      10_000,
    );
    for (const file of ['metadata.sqlite', 'metadata.sqlite-wal']) {
      const bytes = await readFile(join(root, 'home', file)).catch(() => Buffer.alloc(0));
      expect(bytes.includes(SECRET), file).toBe(false);
    }
  });
});
