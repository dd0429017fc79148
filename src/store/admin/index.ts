/**
 * Administration of the metadata DB: users and API tokens, stored connections, variables, the
 * pools, the processes alive (heartbeats), the audit log, and retention (old logs, runs and audit
 * rows deleted).
 */
export {
  countUsers,
  createToken,
  createUser,
  credentialsOf,
  deleteExpiredTokens,
  deleteToken,
  deleteUser,
  findToken,
  isRole,
  LastAdminError,
  listUsers,
  passwordHashOf,
  roleAtLeast,
  ROLES,
  setUserPassword,
  setUserRole,
} from './users.ts';
export type { Role, TokenRow, UserRow } from './users.ts';
export { deleteConnection, listConnections, putConnection } from './connections.ts';
export { deleteVariable, getVariable, listVariables, setVariable, variableReader } from './variables.ts';
export { alive, beat, forget } from './processes.ts';
export type { ProcessKind } from './processes.ts';
export {
  countOldAuditRows,
  countOldLogLines,
  countOldRuns,
  deleteOldAuditRows,
  deleteOldLogLines,
  deleteOldRuns,
} from './retention.ts';
export type { LogCleaning } from './retention.ts';
export { DEFAULT_POOL, deletePool, listPools, POOL_NAME, PoolError, setPool } from './pools.ts';
export type { PoolRow } from './pools.ts';
export {
  AUDIT_ACTIONS,
  AUDIT_DEFAULT_LIMIT,
  AUDIT_MAX_LIMIT,
  AuditFilterError,
  auditItem,
  isAuditAction,
  listAudit,
  recordAudit,
} from './audit.ts';
export type { AuditAction, AuditEntry, AuditFilter, AuditRow } from './audit.ts';
export { MASK } from './audit-mask.ts';
