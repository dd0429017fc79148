import type { Operator, TaskContext } from '../dag/index.ts';

/**
 * Airflow's @task.branch: the function returns the id (or ids) of the direct downstream tasks to
 * follow; the other direct downstream tasks are skipped, and their skips spread by the trigger
 * rules below them (a join after a branch wants `none_failed_min_one_success`). The choice is the
 * task's output. A choice that is not a downstream task fails the try, naming it.
 */
export function branch(
  choose: (context: TaskContext) => string | readonly string[] | Promise<string | readonly string[]>,
): Operator {
  return {
    kind: 'branch',
    describe: () => ({ function: choose.name || 'anonymous' }),
    async execute(context) {
      const chosen = await choose(context);
      const follow = typeof chosen === 'string' ? [chosen] : [...chosen];
      return { follow, output: follow, summary: `following ${follow.join(', ') || 'no task'}` };
    },
  };
}

/**
 * Airflow's @task.short_circuit: when the function's value is falsy, every task below this one is
 * skipped, whatever its trigger rule; when truthy, they run as usual. Whether it held is the
 * task's output.
 */
export function shortCircuit(condition: (context: TaskContext) => unknown): Operator {
  return {
    kind: 'short_circuit',
    describe: () => ({ function: condition.name || 'anonymous' }),
    async execute(context) {
      const held = Boolean(await condition(context));
      return held
        ? { output: true, summary: 'condition held: the tasks below run' }
        : {
            output: false,
            shortCircuit: true,
            summary: 'condition did not hold: every task below is skipped',
          };
    },
  };
}
