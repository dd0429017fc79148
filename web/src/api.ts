// The typed client of the REST API (/api/v1). The shapes come from the server's own definition, so
// a change to an answer is a type error here too.
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

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') {
    headers['content-type'] = 'application/json';
    headers['x-csrf-token'] = csrfToken;
  }
  let response: Response;
  try {
    response = await fetch(BASE + path, {
      method,
      headers,
      body: body === undefined ? (method === 'GET' ? undefined : '{}') : JSON.stringify(body),
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
  return parsed as T;
}

const get = <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, undefined, signal);
const post = <T>(path: string, body?: unknown) => request<T>('POST', path, body);
const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body);

function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

const dagPath = (dagId: string) => `/dags/${enc(dagId)}`;
const runPath = (dagId: string, runId: string) => `${dagPath(dagId)}/dagRuns/${enc(runId)}`;
const tiPath = (dagId: string, runId: string, taskId: string) =>
  `${runPath(dagId, runId)}/taskInstances/${enc(taskId)}`;

export const api = {
  async session(): Promise<Session> {
    const session = await get<Session>('/auth/session');
    csrfToken = session.csrf_token;
    return session;
  },

  dags: (signal?: AbortSignal) => get<Page<DagSummary>>('/dags?limit=1000', signal),
  dag: (dagId: string, signal?: AbortSignal) => get<DagDetail>(dagPath(dagId), signal),
  setPaused: (dagId: string, isPaused: boolean) =>
    request<DagSummary>('PATCH', dagPath(dagId), { is_paused: isPaused }),
  trigger: (dagId: string, body: TriggerRunBody) => post<DagRun>(`${dagPath(dagId)}/dagRuns`, body),
  importErrors: (signal?: AbortSignal) => get<Page<ImportError>>('/importErrors', signal),

  grid: (dagId: string, limit: number, before: string | null, signal?: AbortSignal) =>
    get<Grid>(`${dagPath(dagId)}/grid${query({ limit, before })}`, signal),
  stats: (dagId: string, limit: number, signal?: AbortSignal) =>
    get<RunStats>(`${dagPath(dagId)}/stats${query({ limit })}`, signal),

  run: (dagId: string, runId: string, signal?: AbortSignal) => get<DagRun>(runPath(dagId, runId), signal),
  taskInstances: (dagId: string, runId: string, signal?: AbortSignal) =>
    get<Page<TaskInstance>>(`${runPath(dagId, runId)}/taskInstances`, signal),
  checks: (dagId: string, runId: string, signal?: AbortSignal) =>
    get<RunChecks>(`${runPath(dagId, runId)}/checks`, signal),
  rejects: (dagId: string, runId: string, limit: number, offset: number, signal?: AbortSignal) =>
    get<RunRejects>(`${runPath(dagId, runId)}/rejects${query({ limit, offset })}`, signal),
  ledger: (dagId: string, runId: string, signal?: AbortSignal) =>
    get<RunLedger>(`${runPath(dagId, runId)}/ledger`, signal),
  clearRun: (dagId: string, runId: string) => post<ClearResult>(`${runPath(dagId, runId)}/clear`, {}),
  markRun: (dagId: string, runId: string, state: MarkRunBody['state']) =>
    patch<DagRun>(runPath(dagId, runId), { state } satisfies MarkRunBody),
  markTask: (dagId: string, runId: string, taskId: string, state: MarkTaskBody['new_state']) =>
    patch<TaskInstance>(tiPath(dagId, runId, taskId), { new_state: state } satisfies MarkTaskBody),

  taskInstance: (dagId: string, runId: string, taskId: string, signal?: AbortSignal) =>
    get<TaskInstance>(tiPath(dagId, runId, taskId), signal),
  tries: (dagId: string, runId: string, taskId: string, signal?: AbortSignal) =>
    get<Page<TaskTry>>(`${tiPath(dagId, runId, taskId)}/tries`, signal),
  logs: (
    dagId: string,
    runId: string,
    taskId: string,
    tryNumber: number,
    after: number,
    signal?: AbortSignal,
  ) => get<LogChunk>(`${tiPath(dagId, runId, taskId)}/logs/${tryNumber}${query({ after })}`, signal),
  clearTasks: (dagId: string, body: ClearBody) =>
    post<ClearResult>(`${dagPath(dagId)}/clearTaskInstances`, body),

  backfills: (dagId: string | null, signal?: AbortSignal) =>
    get<Page<Backfill>>(`/backfills${query({ dag_id: dagId })}`, signal),
  previewBackfill: (body: BackfillBody) => post<BackfillPreview>('/backfills/dry_run', body),
  startBackfill: (body: BackfillBody) => post<Backfill>('/backfills', body),
  cancelBackfill: (id: number) => post<Backfill>(`/backfills/${id}/cancel`, {}),

  pools: (signal?: AbortSignal) => get<Page<Pool>>('/pools', signal),
  addPool: (body: PoolBody) => post<Pool>('/pools', body),
  setPoolSlots: (name: string, slots: number) => patch<Pool>(`/pools/${enc(name)}`, { slots }),
  deletePool: (name: string) => request<unknown>('DELETE', `/pools/${enc(name)}`),

  users: (signal?: AbortSignal) => get<Page<User>>('/users', signal),
  addUser: (body: UserBody) => post<User>('/users', body),
  setRole: (username: string, role: Role) => patch<User>(`/users/${enc(username)}`, { role }),
  resetPassword: (username: string, password: string) =>
    post<unknown>(`/users/${enc(username)}/password`, { password }),
  deleteUser: (username: string) => request<unknown>('DELETE', `/users/${enc(username)}`),
  eventLogs: (params: Record<string, string | number | null>, signal?: AbortSignal) =>
    get<EventLogs>(`/eventLogs${query(params)}`, signal),

  connections: (signal?: AbortSignal) => get<Page<Connection>>('/connections', signal),
  addConnection: (body: ConnectionBody) => post<Connection>('/connections', body),
  deleteConnection: (id: string) => request<unknown>('DELETE', `/connections/${enc(id)}`),

  warehouseTables: (signal?: AbortSignal) => get<Page<WarehouseTable>>('/warehouse/tables', signal),
  warehouseRows: (name: string, limit: number, offset: number, signal?: AbortSignal) =>
    get<WarehouseRows>(`/warehouse/tables/${enc(name)}/rows${query({ limit, offset })}`, signal),
  warehouseQuery: (body: WarehouseQueryBody) => post<WarehouseQueryResult>('/warehouse/query', body),
};

/** The message to show for anything thrown by the client. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
