/**
 * The OpenAPI document the API serves, as its clients take it: Redocly's linter (recommended
 * rules, redocly.yaml) finds no error and no warning in it; the client types openapi-typescript
 * makes of it are the web UI's (web/src/api-schema.ts, which `npm run typecheck` checks the UI's
 * calls against); every route served has its role and its key; a refused input names its field.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_TYPES, clientTypes } from '../../tools/openapi-types.ts';
import { createApp } from './app.ts';
import { ROUTE_ROLES, routeKeyFor } from './auth/route-roles.ts';
import { testServer, type TestServer } from './testing.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REDOCLY = join(ROOT, 'node_modules/@redocly/cli/bin/cli.js');

interface Document {
  paths: Record<string, Record<string, { operationId?: string; responses: Record<string, unknown> }>>;
}

let s: TestServer;
let served: Document;
let dir: string;
beforeAll(async () => {
  s = await testServer('sqlite', { engine: false });
  served = (await (await s.api('/api/v1/openapi.json')).json()) as Document;
  dir = mkdtempSync(join(tmpdir(), 'downbeat-openapi-'));
});
afterAll(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Redocly's totals for `document`, linted with the repository's redocly.yaml. */
async function lint(
  document: unknown,
  name: string,
): Promise<{ errors: number; warnings: number; problems: unknown[] }> {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(document));
  const run = promisify(execFile);
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
  // It exits 1 when it finds errors; its JSON report is on stdout either way.
  const { stdout } = await run(
    process.execPath,
    [REDOCLY, 'lint', '--config', join(ROOT, 'redocly.yaml'), '--format', 'json', file],
    { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: unknown[] };
  return { ...report.totals, problems: report.problems };
}

describe('the served OpenAPI document', () => {
  it("has no error and no warning under Redocly's recommended rules", async () => {
    const report = await lint(served, 'openapi.json');
    expect(report.problems).toEqual([]);
    expect({ errors: report.errors, warnings: report.warnings }).toEqual({ errors: 0, warnings: 0 });
  }, 60_000);

  it('would be faulted by the linter without an operationId or a success answer', async () => {
    const broken = structuredClone(served);
    const dags = broken.paths['/dags']?.get;
    if (!dags) throw new Error('GET /dags is not described');
    delete dags.operationId;
    delete dags.responses['200'];
    const report = await lint(broken, 'broken.json');
    expect(report.errors + report.warnings).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('gives every operation an operationId, its role and a success answer with a schema', () => {
    const ids = new Set<string>();
    for (const [path, methods] of Object.entries(served.paths)) {
      for (const [method, operation] of Object.entries(methods) as [string, Record<string, unknown>][]) {
        const what = `${method.toUpperCase()} ${path}`;
        expect(typeof operation.operationId, what).toBe('string');
        ids.add(operation.operationId as string);
        expect(operation['x-role'], what).toBe(ROUTE_ROLES[what]);
        const answers = operation.responses as Record<
          string,
          { content?: Record<string, { schema?: unknown }> }
        >;
        const ok = Object.entries(answers).filter(([status]) => status.startsWith('2'));
        expect(ok.length, what).toBe(1);
        const [status, answer] = ok[0] as [string, { content?: Record<string, { schema?: unknown }> }];
        if (status !== '204') expect(answer.content?.['application/json']?.schema, what).toBeDefined();
      }
    }
    expect(ids.size).toBe(Object.keys(ROUTE_ROLES).length);
  });

  it("makes the web UI's client types (web/src/api-schema.ts): regenerate with tools/openapi-types.ts", async () => {
    expect(await clientTypes(served)).toBe(readFileSync(CLIENT_TYPES, 'utf8'));
  }, 60_000);
});

describe('the routes served', () => {
  // An entry per handler (each validator too): one per method and path.
  const routes = [
    ...new Set(
      createApp({} as never)
        .routes.filter((r) => r.path.startsWith('/api/v1/') && r.method !== 'ALL')
        .map((r) => `${r.method} ${r.path.slice('/api/v1'.length)}`),
    ),
  ].map((key) => {
    const [method = '', path = ''] = key.split(' ');
    return { method, path };
  });

  it('each have a role, and a request finds its key (METHOD /path, as ROUTE_ROLES and the document write it)', () => {
    expect(routes.length).toBe(Object.keys(ROUTE_ROLES).length);
    for (const route of routes) {
      const key = `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`;
      expect(ROUTE_ROLES[key], key).toBeDefined();
      const concrete = route.path.replace(/:(\w+)/g, 'x1');
      expect(routeKeyFor(route.method, concrete), `${route.method} ${concrete}`).toBe(key);
    }
    expect(routeKeyFor('HEAD', '/dags/demo')).toBe('GET /dags/{dag_id}');
    expect(routeKeyFor('POST', '/backfills/dry_run')).toBe('POST /backfills/dry_run');
    expect(routeKeyFor('GET', '/nothing/here')).toBeUndefined();
  });
});

describe("the routes' validation", () => {
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${s.url}/api/v1${path}`, {
      method: 'POST',
      body,
      headers: {
        authorization: `Basic ${Buffer.from('ada:correct horse battery staple').toString('base64')}`,
        ...headers,
      },
    });

  it('answers 400 with the error body, naming the field and what it wanted', async () => {
    const cases: [string, string, unknown][] = [
      [
        '/pools',
        '{"name":"ok","slots":"two"}',
        { field: 'slots', message: '"slots" must be a whole number from 0 to 1000000' },
      ],
      ['/pools', '{"name":"ok"}', { field: 'slots', message: '"slots" is required' }],
      [
        '/pools',
        '{"slots":1,"colour":"red"}',
        { field: 'colour', message: 'unknown field "colour" (expected name, slots, description)' },
      ],
      [
        '/backfills/dry_run',
        '{"dag_id":"later","from_date":"2100-01-01","to_date":"2100-13-45"}',
        { field: 'to_date', message: '"to_date" is not a real date: 2100-13-45' },
      ],
      [
        '/backfills/dry_run',
        '{"dag_id":"later","from_date":"2100-01-01","to_date":"2100-01-02","max_intervals_per_run":0}',
        {
          field: 'max_intervals_per_run',
          message: '"max_intervals_per_run" must be a whole number ≥ 1 or "all"',
        },
      ],
      [
        '/auth/tokens',
        '{"role":"boss"}',
        { field: 'role', message: 'role must be one of viewer, op, admin, not "boss"' },
      ],
      ['/pools', '[1]', { message: 'the body must be a JSON object' }],
    ];
    for (const [path, body, error] of cases) {
      const response = await post(path, body, { 'content-type': 'application/json' });
      expect(response.status, `${path} ${body}`).toBe(400);
      expect(await response.json(), `${path} ${body}`).toEqual({
        error: { code: 'invalid_input', ...(error as object) },
      });
    }
    const query = await fetch(`${s.url}/api/v1/backfills?limit=0`, {
      headers: {
        authorization: `Basic ${Buffer.from('ada:correct horse battery staple').toString('base64')}`,
      },
    });
    expect(await query.json()).toEqual({
      error: {
        code: 'invalid_input',
        field: 'limit',
        message: '"limit" must be a whole number from 1 to 500',
      },
    });
  });

  it('reads a body as JSON whatever its content type, and an empty one as {}', async () => {
    expect((await post('/auth/tokens', '')).status).toBe(201);
    expect((await post('/auth/tokens', '{"role":"viewer"}', { 'content-type': 'text/plain' })).status).toBe(
      201,
    );
  });
});
