// What the audit log records (no imports: the web UI's filter reads this list too).

/** Every action the log records, as Airflow's event log names them where it has a name. */
export const AUDIT_ACTIONS = [
  'dag_run.trigger',
  'task_instance.clear',
  'task_instance.mark',
  'dag_run.mark',
  'dag_run.clear',
  'dag.pause',
  'dag.unpause',
  'backfill.create',
  'backfill.cancel',
  'pool.set',
  'pool.delete',
  'connection.add',
  'connection.delete',
  'variable.set',
  'variable.delete',
  'user.create',
  'user.delete',
  'user.set_role',
  'user.reset_password',
  'token.create',
  'login',
  'login.failed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const isAuditAction = (value: unknown): value is AuditAction =>
  (AUDIT_ACTIONS as readonly unknown[]).includes(value);
