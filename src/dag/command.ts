import type { ObjectStore } from '../ports/index.ts';

/**
 * A command a pipeline adds to the `downbeat` CLI (e.g. `downbeat sparkify generate`): the small
 * registration hook of DESIGN §3. A DAGs-folder file named `*.cli.ts` default-exports an array of
 * these; the CLI finds and lists them, and knows nothing else about the pipeline.
 */
export interface PipelineCommand {
  /** Words after `downbeat`, e.g. `['sparkify', 'generate']`. */
  readonly name: readonly string[];
  /** One line for `downbeat --help`. */
  readonly summary: string;
  /** The full `--help` text: usage, every flag with its default. */
  readonly help: string;
  /** Runs with the arguments after the name; resolves to the exit status. */
  run(args: readonly string[], io: CommandIo): Promise<number>;
}

/**
 * Sample data a pipeline offers for `downbeat standalone`'s first start: written into the default
 * location of one of its connections (never into a connection the user configured), then
 * backfilled so that a newcomer sees a history of runs. Exported as `samples` from a `*.cli.ts`.
 */
export interface PipelineSample {
  readonly dagId: string;
  readonly connectionId: string;
  /** Writes the sample into the store unless it is there already; the period to backfill. */
  ensure(store: ObjectStore, io: CommandIo): Promise<{ readonly start: Date; readonly end: Date }>;
  /**
   * Keeps writing current data while the process runs (called at start and every minute), so that
   * an unpaused DAG's scheduled runs find their input. @default none
   */
  feed?(store: ObjectStore, now: Date): Promise<void>;
}

export interface CommandIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
}
