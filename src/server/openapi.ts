/**
 * /api/v1/openapi.json: every route of the API with its parameters, body and answers. The bodies'
 * schemas mirror api/types.ts; a test checks that every route the app serves is described here.
 */

import { EVENT_LOG_SCHEMAS, EVENT_LOGS_ROUTE, okAnswer } from './audit/event-log-doc.ts';
type Method = 'get' | 'post' | 'patch' | 'delete';

interface RouteDoc {
  readonly method: Method;
  readonly path: string;
  readonly summary: string;
  readonly body?: string;
  readonly query?: readonly string[];
  readonly ok: number;
  readonly answer?: string;
}

export const ROUTES: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/dags',
    summary: 'List DAGs with schedule, next run and recent run states',
    ok: 200,
  },
  { method: 'get', path: '/dags/{dag_id}', summary: 'A DAG with its tasks and edges', ok: 200 },
  { method: 'patch', path: '/dags/{dag_id}', summary: 'Pause or unpause a DAG', body: 'DagPatch', ok: 200 },
  {
    method: 'get',
    path: '/importErrors',
    summary: 'DAG files that failed to load, with their errors',
    ok: 200,
  },
  {
    method: 'get',
    path: '/dags/{dag_id}/dagRuns',
    summary: 'Interval runs (or, with range_runs=true, range runs), newest first, paged and filtered',
    query: ['limit', 'offset', 'state', 'logical_date_gte', 'logical_date_lte', 'range_runs'],
    ok: 200,
  },
  {
    method: 'post',
    path: '/dags/{dag_id}/dagRuns',
    summary: 'Trigger a manual run',
    body: 'TriggerRunBody',
    ok: 201,
  },
  { method: 'get', path: '/dags/{dag_id}/dagRuns/{run_id}', summary: 'A run', ok: 200 },
  {
    method: 'patch',
    path: '/dags/{dag_id}/dagRuns/{run_id}',
    summary: 'Mark a run success or failed',
    body: 'MarkRunBody',
    ok: 200,
  },
  {
    method: 'patch',
    path: '/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}',
    summary: 'Mark a task instance success or failed',
    body: 'MarkTaskBody',
    ok: 200,
  },
  {
    method: 'post',
    path: '/dags/{dag_id}/dagRuns/{run_id}/clear',
    summary: 'Clear every task of a run',
    body: 'ClearRunBody',
    ok: 200,
  },
  {
    method: 'post',
    path: '/dags/{dag_id}/clearTaskInstances',
    summary: 'Clear tasks of a run (and upstream, downstream, future and past runs)',
    body: 'ClearBody',
    ok: 200,
  },
  {
    method: 'get',
    path: '/dags/{dag_id}/dagRuns/{run_id}/taskInstances',
    summary: "A run's task instances",
    ok: 200,
  },
  {
    method: 'get',
    path: '/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}',
    summary: 'A task instance',
    ok: 200,
  },
  {
    method: 'get',
    path: '/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/tries',
    summary: "A task instance's tries",
    ok: 200,
  },
  {
    method: 'get',
    path: '/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/logs/{try}',
    summary: "A try's log lines after `after`; Server-Sent Events with Accept: text/event-stream",
    query: ['after'],
    ok: 200,
  },
  {
    method: 'get',
    path: '/dags/{dag_id}/dagRuns/{run_id}/checks',
    summary: "A run's data-quality results and rows written",
    ok: 200,
  },
  {
    method: 'get',
    path: '/dags/{dag_id}/dagRuns/{run_id}/rejects',
    summary:
      'The source records the run read and could not load (table, object, line, reason), paged; a run a range run covered: those of its interval',
    query: ['limit', 'offset'],
    ok: 200,
  },
  {
    method: 'get',
    path: '/dags/{dag_id}/dagRuns/{run_id}/ledger',
    summary:
      "The run's ledger: per staging table, lines read = rows staged + rejected; its reconciliation checks' results; pass or fail",
    ok: 200,
  },
  {
    method: 'get',
    path: '/dags/{dag_id}/grid',
    summary: 'Runs × tasks, a window of runs',
    query: ['limit', 'before'],
    ok: 200,
  },
  {
    method: 'get',
    path: '/dags/{dag_id}/stats',
    summary: 'Per-run durations, rows and checks',
    query: ['limit'],
    ok: 200,
  },
  {
    method: 'post',
    path: '/backfills/dry_run',
    summary: 'The runs a backfill would create or rerun',
    body: 'BackfillBody',
    ok: 200,
  },
  { method: 'post', path: '/backfills', summary: 'Start a backfill', body: 'BackfillBody', ok: 201 },
  {
    method: 'get',
    path: '/backfills',
    summary: 'Backfills with progress',
    query: ['dag_id', 'limit'],
    ok: 200,
  },
  { method: 'get', path: '/backfills/{id}', summary: 'A backfill with progress', ok: 200 },
  { method: 'post', path: '/backfills/{id}/cancel', summary: 'Cancel a backfill', ok: 200 },
  { method: 'get', path: '/pools', summary: 'Pools, with their running, queued and open slots', ok: 200 },
  { method: 'get', path: '/pools/{name}', summary: 'One pool', ok: 200 },
  { method: 'post', path: '/pools', summary: 'Create a pool', body: 'PoolBody', ok: 201 },
  {
    method: 'patch',
    path: '/pools/{name}',
    summary: "Change a pool's slots or description",
    body: 'PoolPatch',
    ok: 200,
  },
  { method: 'delete', path: '/pools/{name}', summary: 'Delete a pool (not default_pool)', ok: 204 },
  { method: 'get', path: '/connections', summary: 'Connections, secrets masked', ok: 200 },
  {
    method: 'post',
    path: '/connections',
    summary: 'Add or replace a stored connection',
    body: 'ConnectionBody',
    ok: 201,
  },
  { method: 'delete', path: '/connections/{connection_id}', summary: 'Delete a stored connection', ok: 204 },
  {
    method: 'get',
    path: '/warehouse/tables',
    summary: "The warehouse's tables (default schema) with row counts and columns",
    ok: 200,
  },
  {
    method: 'get',
    path: '/warehouse/tables/{name}/rows',
    summary: 'A page of a table, in storage order; CSV with Accept: text/csv',
    query: ['limit', 'offset'],
    ok: 200,
  },
  {
    method: 'post',
    path: '/warehouse/query',
    summary:
      "One read-only SELECT of the warehouse's own tables, within a row and a time limit; CSV with Accept: text/csv",
    body: 'WarehouseQueryBody',
    ok: 200,
  },
  { method: 'get', path: '/users', summary: 'Users and their roles (admin)', ok: 200 },
  { method: 'post', path: '/users', summary: 'Create a user (admin)', body: 'UserBody', ok: 201 },
  {
    method: 'patch',
    path: '/users/{username}',
    summary: "Change a user's role, ending their sessions and tokens (admin)",
    body: 'UserPatch',
    ok: 200,
  },
  {
    method: 'post',
    path: '/users/{username}/password',
    summary: "Reset a user's password, ending their sessions and tokens (admin)",
    body: 'PasswordBody',
    ok: 204,
  },
  {
    method: 'delete',
    path: '/users/{username}',
    summary: 'Delete a user and their sessions and tokens (admin)',
    ok: 204,
  },
  { method: 'get', path: '/auth/session', summary: 'The logged-in user, their role and CSRF token', ok: 200 },
  {
    method: 'post',
    path: '/auth/tokens',
    summary: "Create an API (bearer) token, shown once; its role is at most the caller's",
    body: 'TokenBody',
    ok: 201,
  },
  EVENT_LOGS_ROUTE,
  { method: 'get', path: '/openapi.json', summary: 'This description', ok: 200 },
];

const string = { type: 'string' };
const date = { type: 'string', format: 'date-time' };
const bool = { type: 'boolean' };
const ROLE = { type: 'string', enum: ['viewer', 'op', 'admin'] };

const BODIES: Record<string, unknown> = {
  DagPatch: {
    type: 'object',
    required: ['is_paused'],
    properties: { is_paused: bool },
    additionalProperties: false,
  },
  TriggerRunBody: {
    type: 'object',
    required: ['logical_date'],
    properties: { logical_date: date, conf: { type: 'object' } },
    additionalProperties: false,
  },
  ClearRunBody: {
    type: 'object',
    properties: { dry_run: bool, only_failed: bool },
    additionalProperties: false,
  },
  ClearBody: {
    type: 'object',
    required: ['dag_run_id'],
    properties: {
      dag_run_id: string,
      task_ids: { type: 'array', items: string },
      include_downstream: bool,
      include_upstream: bool,
      include_future: bool,
      include_past: bool,
      only_failed: bool,
      dry_run: bool,
    },
    additionalProperties: false,
  },
  MarkRunBody: {
    type: 'object',
    required: ['state'],
    properties: { state: { type: 'string', enum: ['success', 'failed'] } },
    additionalProperties: false,
  },
  MarkTaskBody: {
    type: 'object',
    required: ['new_state'],
    properties: { new_state: { type: 'string', enum: ['success', 'failed'] } },
    additionalProperties: false,
  },
  BackfillBody: {
    type: 'object',
    required: ['dag_id', 'from_date', 'to_date'],
    properties: {
      dag_id: string,
      from_date: date,
      to_date: { ...date, description: 'exclusive' },
      reprocess_behavior: { enum: ['none', 'failed', 'completed', 'stale'] },
      max_active_runs: { type: 'integer', minimum: 1 },
      max_intervals_per_run: {
        oneOf: [{ type: 'integer', minimum: 1 }, { enum: ['all'] }],
        description: "consecutive intervals one range run covers; default the DAG's backfillPolicy",
      },
    },
    additionalProperties: false,
  },
  PoolBody: {
    type: 'object',
    required: ['name', 'slots'],
    properties: { name: string, slots: { type: 'integer', minimum: 0 }, description: string },
    additionalProperties: false,
  },
  PoolPatch: {
    type: 'object',
    properties: { name: string, slots: { type: 'integer', minimum: 0 }, description: string },
    additionalProperties: false,
  },
  ConnectionBody: {
    type: 'object',
    required: ['connection_id', 'uri'],
    properties: { connection_id: string, uri: string },
    additionalProperties: false,
  },
  WarehouseQueryBody: {
    type: 'object',
    required: ['sql'],
    properties: {
      sql: { type: 'string', description: 'one SELECT; anything else is refused (400 query_refused)' },
      limit: { type: 'integer', minimum: 1, maximum: 10000, default: 1000 },
    },
    additionalProperties: false,
  },
  UserBody: {
    type: 'object',
    required: ['username', 'role', 'password'],
    properties: { username: string, role: ROLE, password: { type: 'string', minLength: 8 } },
    additionalProperties: false,
  },
  UserPatch: { type: 'object', required: ['role'], properties: { role: ROLE }, additionalProperties: false },
  PasswordBody: {
    type: 'object',
    required: ['password'],
    properties: { password: { type: 'string', minLength: 8 } },
    additionalProperties: false,
  },
  TokenBody: {
    type: 'object',
    properties: { role: { ...ROLE, description: "default the caller's role; at most it" } },
    additionalProperties: false,
  },
  Error: {
    type: 'object',
    properties: { error: { type: 'object', properties: { code: string, message: string, field: string } } },
  },
};

/** Routes that read the warehouse answer 503 when it cannot be read. */
const readsWarehouse = (path: string) => path.startsWith('/warehouse/') || /\/(rejects|ledger)$/.test(path);

export function openApiDocument(): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: string,
    }));
    for (const q of route.query ?? []) params.push({ name: q, in: 'query', required: false, schema: string });
    const errorAnswer = (description: string) => ({
      description,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    });
    (paths[route.path] ??= {})[route.method] = {
      summary: route.summary,
      parameters: params,
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: { $ref: `#/components/schemas/${route.body}` } } },
            },
          }
        : {}),
      responses: {
        [route.ok]: okAnswer(route.answer),
        400: errorAnswer('Invalid input: the message names the field'),
        401: errorAnswer('No or wrong credentials'),
        403: errorAnswer("The role needed is not the caller's: the message names both"),
        404: errorAnswer('Unknown id'),
        ...(readsWarehouse(route.path)
          ? { 503: errorAnswer('The warehouse cannot be read now: the message names its connection') }
          : {}),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Downbeat REST API', version: '1' },
    servers: [{ url: '/api/v1' }],
    security: [{ basic: [] }, { bearer: [] }, { session: [] }],
    components: {
      securitySchemes: {
        basic: { type: 'http', scheme: 'basic' },
        bearer: { type: 'http', scheme: 'bearer' },
        session: { type: 'apiKey', in: 'cookie', name: 'downbeat_session' },
      },
      schemas: { ...BODIES, ...EVENT_LOG_SCHEMAS },
    },
    paths,
  };
}
