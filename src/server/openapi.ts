import type { OpenAPIHono } from '@hono/zod-openapi';
import { API_ROUTES } from './api/routes/index.ts';
import type { AppEnv } from './context.ts';

/**
 * /api/v1/openapi.json: generated from the routes the API serves (api/routes/, registered as
 * each is served), so each path, parameter, body and answer is described from the schemas the
 * server validates by, each operation with its operationId and its role (`x-role`).
 */

/** Every route of the API, as defined once: method, path, role, schemas. */
export const ROUTES = API_ROUTES;

const TAGS = [
  { name: 'DAGs', description: 'The DAGs of the DAGs folder: list, detail, pause, grid, statistics' },
  { name: 'Runs', description: "DAG runs: list, trigger, mark, clear; a run's checks, rejects and ledger" },
  { name: 'Task instances', description: 'The tasks of a run, their tries and logs' },
  { name: 'Backfills', description: 'Runs for a past range of intervals, executed by the scheduler' },
  { name: 'Pools', description: 'Worker slots shared by the tasks that name a pool' },
  { name: 'Connections', description: 'Named credentials and endpoints, secrets masked (admin)' },
  { name: 'Warehouse', description: "The warehouse explorer, read-only (DESIGN §8)" },
  { name: 'Users', description: 'Users and their roles (admin)' },
  { name: 'Session', description: 'The caller: who they are, and API tokens' },
  { name: 'Meta', description: 'This description' },
];

/** The document of `api` (the app mounted at /api/v1), made once. */
export function openApiDocument(api: OpenAPIHono<AppEnv>): () => unknown {
  let document: unknown;
  return () =>
    (document ??= api.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'Downbeat REST API',
        version: '1',
        description:
          'The REST API of Downbeat, a data-pipeline orchestrator. Every error answer is `{ "error": { "code", "message", "field"? } }`; each operation needs the role its `x-role` names (viewer < op < admin).',
        license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
      },
      servers: [{ url: '/api/v1' }],
      security: [{ basic: [] }, { bearer: [] }, { session: [] }],
      tags: TAGS,
    }));
}

/** The security schemes the document's `security` names. */
export function registerSecuritySchemes(api: OpenAPIHono<AppEnv>): void {
  const registry = api.openAPIRegistry;
  registry.registerComponent('securitySchemes', 'basic', { type: 'http', scheme: 'basic' });
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'downbeat_session',
  });
}
