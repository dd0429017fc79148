import type { Operator, TaskContext } from '../dag/index.ts';

export interface FnOptions {
  /** What the function does, shown with the task in the UI. @default none */
  readonly description?: string;
}

/**
 * A task that runs a TypeScript function (Airflow's `@task`, TaskFlow): its return value is the
 * task's output, a JSON value of at most 64 KiB kept with the try (returning nothing keeps none).
 * It gets the task's context: the run and its interval, connections, variables, log, signal, clock.
 */
export function fn<T>(work: (context: TaskContext) => T | Promise<T>, options: FnOptions = {}): Operator {
  return {
    kind: 'fn',
    describe: () => ({
      function: work.name || 'anonymous',
      ...(options.description === undefined ? {} : { description: options.description }),
    }),
    async execute(context) {
      const output = await work(context);
      return output === undefined ? {} : { output };
    },
  };
}
