/**
 * The REST API's shapes (/api/v1), shared by the server and the web UI's client: each is the type
 * of its schema (api/schemas/), the one definition the server validates by and the OpenAPI
 * document describes, so a change to an answer is a type error in both. Answers are the schemas'
 * outputs, bodies their inputs (what a client sends). Times are ISO-8601 strings (UTC,
 * milliseconds). Paths and field names follow Airflow's stable REST API where it has one.
 */
import type { z } from '@hono/zod-openapi';
import type { ApiErrorSchema } from './schema-kit.ts';
import type * as admin from './schemas/admin.ts';
import type * as audit from './schemas/audit.ts';
import type * as backfills from './schemas/backfills.ts';
import type * as dags from './schemas/dags.ts';
import type * as grid from './schemas/grid.ts';
import type * as pools from './schemas/pools.ts';
import type * as runs from './schemas/runs.ts';
import type * as warehouse from './schemas/warehouse.ts';

export type { BackfillState, Reprocess, RunState, TryState } from '../../lifecycle/index.ts';
export type { RunType } from '../../dag/index.ts';

type Out<S extends z.ZodType> = z.output<S>;
type In<S extends z.ZodType> = z.input<S>;

/** A task instance's state (src/lifecycle/states.ts), or 'none' where a run has no instance of the task. */
export type TaskState = Out<typeof runs.TaskStateSchema>;

/** Every error answer: `{ error: { code, message, field? } }`, with a stable code. */
export type ApiError = Out<typeof ApiErrorSchema>;

/** A list answer: `{ items, total_entries }`. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly total_entries: number;
}

// ---- DAGs ---------------------------------------------------------------------------------------
export type DagSummary = Out<typeof dags.DagSummarySchema>;
export type DagTask = Out<typeof dags.DagTaskSchema>;
export type DagParam = Out<typeof dags.DagParamSchema>;
export type DagDetail = Out<typeof dags.DagDetailSchema>;
export type ImportError = Out<typeof dags.ImportErrorSchema>;
export type DagPatch = In<typeof dags.DagPatchSchema>;

// ---- Runs and task instances --------------------------------------------------------------------
export type DagRun = Out<typeof runs.DagRunSchema>;
export type StaleObject = Out<typeof runs.StaleObjectSchema>;
export type TriggerRunBody = In<typeof runs.TriggerRunBodySchema>;
export type TaskInstance = Out<typeof runs.TaskInstanceSchema>;
export type TaskTry = Out<typeof runs.TaskTrySchema>;
export type LogChunk = Out<typeof runs.LogChunkSchema>;
export type ClearRunBody = In<typeof runs.ClearRunBodySchema>;
export type ClearBody = In<typeof runs.ClearBodySchema>;
export type ClearResult = Out<typeof runs.ClearResultSchema>;
export type MarkTaskBody = In<typeof runs.MarkTaskBodySchema>;
export type MarkRunBody = In<typeof runs.MarkRunBodySchema>;

// ---- Grid, data quality and run statistics ------------------------------------------------------
export type Grid = Out<typeof grid.GridSchema>;
export type CheckResult = Out<typeof grid.CheckResultSchema>;
export type RunChecks = Out<typeof grid.RunChecksSchema>;
export type RunStats = Out<typeof grid.RunStatsSchema>;

// ---- Backfills ----------------------------------------------------------------------------------
export type BackfillBody = In<typeof backfills.BackfillBodySchema>;
export type BackfillPreview = Out<typeof backfills.BackfillPreviewSchema>;
export type Backfill = Out<typeof backfills.BackfillSchema>;

// ---- Pools --------------------------------------------------------------------------------------
export type Pool = Out<typeof pools.PoolSchema>;
export type PoolBody = In<typeof pools.PoolBodySchema>;
export type PoolPatch = In<typeof pools.PoolPatchSchema>;

// ---- Connections, users, the session ------------------------------------------------------------
export type Connection = Out<typeof admin.ConnectionSchema>;
export type ConnectionBody = In<typeof admin.ConnectionBodySchema>;
export type Role = Out<typeof admin.RoleSchema>;
export type Session = Out<typeof admin.SessionSchema>;
export type User = Out<typeof admin.UserSchema>;
export type UserBody = In<typeof admin.UserBodySchema>;
export type UserPatch = In<typeof admin.UserPatchSchema>;
export type PasswordBody = In<typeof admin.PasswordBodySchema>;
export type TokenBody = In<typeof admin.TokenBodySchema>;
export type Token = Out<typeof admin.TokenSchema>;
export type Health = Out<typeof admin.HealthSchema>;

// ---- The audit log ------------------------------------------------------------------------------
export type AuditAction = Out<typeof audit.AuditActionSchema>;
export type EventLog = Out<typeof audit.EventLogSchema>;
export type EventLogs = Out<typeof audit.EventLogsSchema>;

// ---- The warehouse, read-only: the explorer, and a run's rejects and ledger ---------------------
export type WarehouseCell = Out<typeof warehouse.WarehouseCellSchema>;
export type WarehouseTable = Out<typeof warehouse.WarehouseTableSchema>;
export type WarehouseQueryBody = In<typeof warehouse.WarehouseQueryBodySchema>;
export type WarehouseQueryResult = Out<typeof warehouse.WarehouseQueryResultSchema>;
export type WarehouseRows = Out<typeof warehouse.WarehouseRowsSchema>;
export type ReadScope = Out<typeof warehouse.ReadScopeSchema>;
export type RunReject = Out<typeof warehouse.RunRejectSchema>;
export type RunRejects = Out<typeof warehouse.RunRejectsSchema>;
export type LedgerTable = Out<typeof warehouse.LedgerTableSchema>;
export type Reconciliation = Out<typeof warehouse.ReconciliationSchema>;
export type RunLedger = Out<typeof warehouse.RunLedgerSchema>;
