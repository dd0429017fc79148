/**
 * When a task may start, given how its upstream tasks ended: Airflow's trigger rules, by name. The
 * rules themselves are src/lifecycle/dependencies.ts's; a DAG names one per task.
 */
export const TRIGGER_RULES = [
  /** Every upstream task succeeded (the default): a failure upstream fails it, a skip skips it. */
  'all_success',
  /** Every upstream task failed or is upstream_failed; a success or skip upstream skips it. */
  'all_failed',
  /** Every upstream task ended, however. */
  'all_done',
  /** Every upstream task was skipped; anything else upstream skips it. */
  'all_skipped',
  /** One upstream task succeeded (at once, not waiting for the others). */
  'one_success',
  /** One upstream task failed or is upstream_failed (at once). */
  'one_failed',
  /** One upstream task succeeded or failed (at once). */
  'one_done',
  /** No upstream task failed or is upstream_failed: each succeeded or was skipped. */
  'none_failed',
  /** As none_failed, and at least one succeeded: all skipped skips it. */
  'none_failed_min_one_success',
  /** No upstream task was skipped, once all ended. */
  'none_skipped',
  /** At once, whatever its upstream tasks do. */
  'always',
] as const;

export type TriggerRule = (typeof TRIGGER_RULES)[number];

export function isTriggerRule(name: unknown): name is TriggerRule {
  return typeof name === 'string' && (TRIGGER_RULES as readonly string[]).includes(name);
}
