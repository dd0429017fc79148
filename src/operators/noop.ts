import type { Operator, TaskOutcome } from '../dag/index.ts';

/** Does nothing: a marker such as Begin_execution and Stop_execution (Airflow's EmptyOperator). */
export function noop(): Operator {
  return {
    kind: 'noop',
    describe: () => ({}),
    execute: (): Promise<TaskOutcome> => Promise.resolve({}),
  };
}
