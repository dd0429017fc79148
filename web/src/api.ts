// The typed client of the REST API (/api/v1). Each call is typed by the client openapi-typescript
// generates from the served OpenAPI document (api-schema.ts: path, method, parameters, body and
// answer), and each answer must fit the shape the server's schemas give (src/server/api/types.ts,
// the schemas' types): so a change to a route or a shape is a type error here too.
import type { paths } from './api-schema.ts';
import type {
  ApiError,
  Backfill,
  BackfillBody,
  BackfillPreview,
  ClearBody,
  ClearResult,
  Connection,
  ConnectionBody,
  Pool,
  PoolBody,
  DagDetail,
  DagRun,
  DagSummary,
  EventLogs,
  Grid,
  ImportError,
  LogChunk,
  MarkRunBody,
  MarkTaskBody,
  Page,
  RunChecks,
  RunLedger,
  RunRejects,
  RunStats,
  Role,
  Session,
  TaskInstance,
  TaskTry,
  TriggerRunBody,
  User,
  UserBody,
  WarehouseQueryBody,
  WarehouseQueryResult,
  WarehouseRows,
  WarehouseTable,
} from '../../src/server/api/types.ts';

export type * from '../../src/server/api/types.ts';

/** An error answer of the API (or a network failure), with the message to show. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

let csrfToken = '';

const BASE = '/api/v1';
const enc = encodeURIComponent;

function isApiError(value: unknown): value is ApiError {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = value.error;
  return typeof error === 'object' && error !== null && 'message' in error;
}

type Method = 'get' | 'post' | 'patch' | 'delete';
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
/** The paths that have method M. */
type PathOf<M extends Method> = {
  [P in keyof paths]: [NonNullable<paths[P][M]>] extends [never] ? never : P;
}[keyof paths];

type Json<T> = T extends { readonly content: { readonly 'application/json': infer B } } ? B : never;
/** The success answer of an operation: its 200's or 201's JSON, or nothing for a 204. */
type Answer<O> = O extends { readonly responses: infer R }
  ? R extends { readonly 200: infer A }
    ? Json<A>
    : R extends { readonly 201: infer A }
      ? Json<A>
      : R extends { readonly 204: unknown }
        ? undefined
        : never
  : never;

type Parts<O> = (O extends { readonly parameters: { readonly path: infer A } }
  ? { readonly params: A }
  : { readonly params?: never }) &
  (O extends { readonly parameters: { readonly query?: infer Q } }
    ? { readonly query?: { readonly [K in keyof Q]?: Q[K] | null } }
    : { readonly query?: never }) &
  (O extends { readonly requestBody?: { readonly content: { readonly 'application/json': infer B } } }
    ? { readonly body?: B }
    : { readonly body?: never }) & { readonly signal?: AbortSignal };

async function request<P extends PathOf<M>, M extends Method>(
  method: M,
  path: P,
  parts: Parts<Operation<P, M>>,
): Promise<Answer<Operation<P, M>>> {
  const {
    params,
    query: search,
    body,
    signal,
  } = parts as {
    params?: Record<string, string | number>;
    query?: Record<string, string | number | undefined | null>;
    body?: unknown;
    signal?: AbortSignal;
  };
  const url = path.replace(/\{(\w+)\}/g, (_, name: string) => enc(String(params?.[name] ?? '')));
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'get') {
    headers['content-type'] = 'application/json';
    headers['x-csrf-token'] = csrfToken;
  }
  let response: Response;
  try {
    response = await fetch(BASE + url + query(search ?? {}), {
      method: method.toUpperCase(),
      headers,
      body: body === undefined ? (method === 'get' ? undefined : '{}') : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiFailure(0, 'network', 'The server cannot be reached.');
  }
  if (response.status === 401) {
    location.href = '/login';
    throw new ApiFailure(401, 'unauthenticated', 'Your session has ended; log in again.');
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!response.ok) {
    if (isApiError(parsed)) throw new ApiFailure(response.status, parsed.error.code, parsed.error.message);
    throw new ApiFailure(response.status, 'http', `${response.status} ${response.statusText}`.trim());
  }
  return parsed as Answer<Operation<P, M>>;
}

function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

type EventLogQuery = NonNullable<Operation<'/eventLogs', 'get'>['parameters']['query']>;
/** The audit log's filters (GET /eventLogs); an empty one (text, or '' for the action) is none. */
export type EventLogFilter = {
  readonly [K in keyof Omit<EventLogQuery, 'action'>]?: EventLogQuery[K] | null;
} & { readonly action?: EventLogQuery['action'] | '' | null };

const dag = (dagId: string) => ({ dag_id: dagId });
const run = (dagId: string, runId: string) => ({ dag_id: dagId, run_id: runId });
const ti = (dagId: string, runId: string, taskId: string) => ({
  dag_id: dagId,
  run_id: runId,
  task_id: taskId,
});
const TI = '/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}';

// Each answer's declared type is the server's shape: the generated one must fit it.
export const api = {
  async session(): Promise<Session> {
    const session: Session = await request('get', '/auth/session', {});
    csrfToken = session.csrf_token;
    return session;
  },

  dags: (signal?: AbortSignal): Promise<Page<DagSummary>> => request('get', '/dags', { signal }),
  dag: (dagId: string, signal?: AbortSignal): Promise<DagDetail> =>
    request('get', '/dags/{dag_id}', { params: dag(dagId), signal }),
  setPaused: (dagId: string, isPaused: boolean): Promise<DagSummary> =>
    request('patch', '/dags/{dag_id}', { params: dag(dagId), body: { is_paused: isPaused } }),
  trigger: (dagId: string, body: TriggerRunBody): Promise<DagRun> =>
    request('post', '/dags/{dag_id}/dagRuns', { params: dag(dagId), body }),
  importErrors: (signal?: AbortSignal): Promise<Page<ImportError>> =>
    request('get', '/importErrors', { signal }),

  grid: (dagId: string, limit: number, before: string | null, signal?: AbortSignal): Promise<Grid> =>
    request('get', '/dags/{dag_id}/grid', { params: dag(dagId), query: { limit, before }, signal }),
  stats: (dagId: string, limit: number, signal?: AbortSignal): Promise<RunStats> =>
    request('get', '/dags/{dag_id}/stats', { params: dag(dagId), query: { limit }, signal }),

  run: (dagId: string, runId: string, signal?: AbortSignal): Promise<DagRun> =>
    request('get', '/dags/{dag_id}/dagRuns/{run_id}', { params: run(dagId, runId), signal }),
  taskInstances: (dagId: string, runId: string, signal?: AbortSignal): Promise<Page<TaskInstance>> =>
    request('get', '/dags/{dag_id}/dagRuns/{run_id}/taskInstances', { params: run(dagId, runId), signal }),
  checks: (dagId: string, runId: string, signal?: AbortSignal): Promise<RunChecks> =>
    request('get', '/dags/{dag_id}/dagRuns/{run_id}/checks', { params: run(dagId, runId), signal }),
  rejects: (
    dagId: string,
    runId: string,
    limit: number,
    offset: number,
    signal?: AbortSignal,
  ): Promise<RunRejects> =>
    request('get', '/dags/{dag_id}/dagRuns/{run_id}/rejects', {
      params: run(dagId, runId),
      query: { limit, offset },
      signal,
    }),
  ledger: (dagId: string, runId: string, signal?: AbortSignal): Promise<RunLedger> =>
    request('get', '/dags/{dag_id}/dagRuns/{run_id}/ledger', { params: run(dagId, runId), signal }),
  clearRun: (dagId: string, runId: string): Promise<ClearResult> =>
    request('post', '/dags/{dag_id}/dagRuns/{run_id}/clear', { params: run(dagId, runId), body: {} }),
  markRun: (dagId: string, runId: string, state: MarkRunBody['state']): Promise<DagRun> =>
    request('patch', '/dags/{dag_id}/dagRuns/{run_id}', {
      params: run(dagId, runId),
      body: { state } satisfies MarkRunBody,
    }),
  markTask: (
    dagId: string,
    runId: string,
    taskId: string,
    state: MarkTaskBody['new_state'],
  ): Promise<TaskInstance> =>
    request('patch', TI, {
      params: ti(dagId, runId, taskId),
      body: { new_state: state } satisfies MarkTaskBody,
    }),

  taskInstance: (dagId: string, runId: string, taskId: string, signal?: AbortSignal): Promise<TaskInstance> =>
    request('get', TI, { params: ti(dagId, runId, taskId), signal }),
  tries: (dagId: string, runId: string, taskId: string, signal?: AbortSignal): Promise<Page<TaskTry>> =>
    request('get', `${TI}/tries`, { params: ti(dagId, runId, taskId), signal }),
  logs: (
    dagId: string,
    runId: string,
    taskId: string,
    tryNumber: number,
    after: number,
    signal?: AbortSignal,
  ): Promise<LogChunk> =>
    request('get', `${TI}/logs/{try}`, {
      params: { ...ti(dagId, runId, taskId), try: tryNumber },
      query: { after },
      signal,
    }),
  clearTasks: (dagId: string, body: ClearBody): Promise<ClearResult> =>
    request('post', '/dags/{dag_id}/clearTaskInstances', { params: dag(dagId), body }),

  backfills: (dagId: string | null, signal?: AbortSignal): Promise<Page<Backfill>> =>
    request('get', '/backfills', { query: { dag_id: dagId }, signal }),
  previewBackfill: (body: BackfillBody): Promise<BackfillPreview> =>
    request('post', '/backfills/dry_run', { body }),
  startBackfill: (body: BackfillBody): Promise<Backfill> => request('post', '/backfills', { body }),
  cancelBackfill: (id: number): Promise<Backfill> =>
    request('post', '/backfills/{id}/cancel', { params: { id } }),

  pools: (signal?: AbortSignal): Promise<Page<Pool>> => request('get', '/pools', { signal }),
  addPool: (body: PoolBody): Promise<Pool> => request('post', '/pools', { body }),
  setPoolSlots: (name: string, slots: number): Promise<Pool> =>
    request('patch', '/pools/{name}', { params: { name }, body: { slots } }),
  deletePool: (name: string): Promise<undefined> => request('delete', '/pools/{name}', { params: { name } }),

  users: (signal?: AbortSignal): Promise<Page<User>> => request('get', '/users', { signal }),
  addUser: (body: UserBody): Promise<Pick<User, 'username' | 'role'>> => request('post', '/users', { body }),
  setRole: (username: string, role: Role): Promise<Pick<User, 'username' | 'role'>> =>
    request('patch', '/users/{username}', { params: { username }, body: { role } }),
  resetPassword: (username: string, password: string): Promise<undefined> =>
    request('post', '/users/{username}/password', { params: { username }, body: { password } }),
  deleteUser: (username: string): Promise<undefined> =>
    request('delete', '/users/{username}', { params: { username } }),
  eventLogs: (filter: EventLogFilter, signal?: AbortSignal): Promise<EventLogs> =>
    request('get', '/eventLogs', { query: { ...filter, action: filter.action || null }, signal }),

  connections: (signal?: AbortSignal): Promise<Page<Connection>> =>
    request('get', '/connections', { signal }),
  addConnection: (body: ConnectionBody): Promise<Connection> => request('post', '/connections', { body }),
  deleteConnection: (id: string): Promise<undefined> =>
    request('delete', '/connections/{connection_id}', { params: { connection_id: id } }),

  warehouseTables: (signal?: AbortSignal): Promise<Page<WarehouseTable>> =>
    request('get', '/warehouse/tables', { signal }),
  warehouseRows: (
    name: string,
    limit: number,
    offset: number,
    signal?: AbortSignal,
  ): Promise<WarehouseRows> =>
    request('get', '/warehouse/tables/{name}/rows', { params: { name }, query: { limit, offset }, signal }),
  warehouseQuery: (body: WarehouseQueryBody): Promise<WarehouseQueryResult> =>
    request('post', '/warehouse/query', { body }),
};

/** The message to show for anything thrown by the client. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
