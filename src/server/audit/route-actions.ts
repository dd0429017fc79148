import type { AuditAction } from '../../store/admin/index.ts';
import { routeKeyFor } from '../auth/route-roles.ts';

/**
 * The audit action of each route that changes something, keyed as ROUTE_ROLES is (method and
 * OpenAPI path), and the object it acts on: from the path, the body or, for what a route creates
 * (a run, a backfill), its answer. `read` marks the routes that are not GETs but change nothing.
 * A test checks that every non-GET route the API defines (api/routes/) is here, so that no change goes unrecorded.
 */

export type Params = Readonly<Record<string, string>>;
export type Fields = Readonly<Record<string, unknown>>;

export interface RouteAction {
  /** The action, or how the body decides it where one route means two. */
  readonly action: AuditAction | ((body: Fields) => AuditAction);
  /** The object acted on; `caller` is the user who asked. */
  readonly object: (params: Params, body: Fields, answer: Fields, caller: string) => string;
  /** The object needs the route's answer (read only then). */
  readonly readsAnswer?: boolean;
  /** A request that changed nothing (a dry run) leaves no row. */
  readonly changedNothing?: (body: Fields) => boolean;
}

const text = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : '';
const dryRun = (body: Fields) => body.dry_run === true;
const run = (p: Params) => `${p.dag_id}/${p.run_id}`;
const backfill = (_: Params, __: Fields, answer: Fields) =>
  `${text(answer.dag_id)}/backfills/${text(answer.id)}`;

export const ROUTE_ACTIONS: Readonly<Record<string, RouteAction | 'read'>> = {
  'PATCH /dags/{dag_id}': {
    action: (body) => (body.is_paused === true ? 'dag.pause' : 'dag.unpause'),
    object: (p) => p.dag_id ?? '',
  },
  'POST /dags/{dag_id}/dagRuns': {
    action: 'dag_run.trigger',
    object: (p, _, answer) => `${p.dag_id}/${text(answer.dag_run_id)}`,
    readsAnswer: true,
  },
  'PATCH /dags/{dag_id}/dagRuns/{run_id}': { action: 'dag_run.mark', object: run },
  'PATCH /dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}': {
    action: 'task_instance.mark',
    object: (p) => `${run(p)}/${p.task_id}`,
  },
  'POST /dags/{dag_id}/dagRuns/{run_id}/clear': {
    action: 'dag_run.clear',
    object: run,
    changedNothing: dryRun,
  },
  'POST /dags/{dag_id}/clearTaskInstances': {
    action: 'task_instance.clear',
    object: (p, body) => `${p.dag_id}/${text(body.dag_run_id)}`,
    changedNothing: dryRun,
  },
  'POST /backfills/dry_run': 'read',
  'POST /backfills': { action: 'backfill.create', object: backfill, readsAnswer: true },
  'POST /backfills/{id}/cancel': { action: 'backfill.cancel', object: backfill, readsAnswer: true },
  'POST /pools': { action: 'pool.set', object: (_, body) => text(body.name) },
  'PATCH /pools/{name}': { action: 'pool.set', object: (p) => p.name ?? '' },
  'DELETE /pools/{name}': { action: 'pool.delete', object: (p) => p.name ?? '' },
  'POST /connections': { action: 'connection.add', object: (_, body) => text(body.connection_id) },
  'DELETE /connections/{connection_id}': {
    action: 'connection.delete',
    object: (p) => p.connection_id ?? '',
  },
  'POST /warehouse/query': 'read',
  'POST /users': { action: 'user.create', object: (_, body) => text(body.username) },
  'PATCH /users/{username}': { action: 'user.set_role', object: (p) => p.username ?? '' },
  'DELETE /users/{username}': { action: 'user.delete', object: (p) => p.username ?? '' },
  'POST /users/{username}/password': { action: 'user.reset_password', object: (p) => p.username ?? '' },
  'POST /auth/tokens': { action: 'token.create', object: (_, __, ___, caller) => caller },
};

const decoded = (raw: string): string => {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};

/** The path parameters of `path`, read by the OpenAPI path `pattern` it matched (`/pools/{name}`). */
function paramsOf(pattern: string, path: string): Params {
  const actual = path.split('/');
  return Object.fromEntries(
    pattern.split('/').flatMap((part, i) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      return name === undefined ? [] : [[name, decoded(actual[i] ?? '')]];
    }),
  );
}

/**
 * The action of the route that serves `method` `path` (below /api/v1; found as the role check
 * finds it, routeKeyFor), with its decoded path parameters; undefined when none has one.
 */
export function routeActionOf(
  method: string,
  path: string,
): { action: RouteAction | 'read'; params: Params } | undefined {
  const key = routeKeyFor(method, path);
  const action = key === undefined ? undefined : ROUTE_ACTIONS[key];
  if (key === undefined || action === undefined) return undefined;
  return { action, params: paramsOf(key.slice(key.indexOf(' ') + 1), path) };
}
