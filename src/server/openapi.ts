import { OpenAPIHono } from '@hono/zod-openapi';
import { API_ROUTES } from './api/routes/index.ts';

/**
 * /api/v1/openapi.json: generated from the routes' definitions (api/routes/), so each path,
 * parameter, body and answer is described by the schemas the server validates by, each operation
 * with its operationId and the role it needs (`x-role`).
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
  { name: 'Warehouse', description: 'The warehouse explorer, read-only (DESIGN §8)' },
  { name: 'Users', description: 'Users and their roles (admin)' },
  { name: 'Audit log', description: 'Every change and login, secrets masked (admin)' },
  { name: 'Session', description: 'The caller: who they are, and API tokens' },
  { name: 'Meta', description: 'This description' },
];

let document: unknown;

/**
 * The document of every route of the API, made once. The app serves exactly these routes (a test
 * checks), and a tool makes the web UI's client types from it (tools/openapi-types.ts).
 */
export function openApiDocument(): Record<string, unknown> {
  if (document === undefined) {
    const app = new OpenAPIHono();
    const registry = app.openAPIRegistry;
    for (const route of API_ROUTES) registry.registerPath(route);
    registry.registerComponent('securitySchemes', 'basic', { type: 'http', scheme: 'basic' });
    registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
    registry.registerComponent('securitySchemes', 'session', {
      type: 'apiKey',
      in: 'cookie',
      name: 'downbeat_session',
    });
    document = app.getOpenAPI31Document({
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
    });
  }
  return document as Record<string, unknown>;
}
