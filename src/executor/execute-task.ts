import type {
  ConnectionResolver,
  RunInfo,
  Task,
  TaskLogger,
  RunStateReader,
  TaskOutcome,
  VariableReader,
} from '../dag/index.ts';
import { outputJson, TaskFailure } from '../dag/index.ts';
import { redact } from '../connections/index.ts';
import { DownbeatError, errorCode, toError } from '../errors/index.ts';
import { notDownstream } from '../lifecycle/index.ts';

/** What one try of a task did: stored with the try, printed by `dags test`. */
export interface TryResult {
  readonly taskId: string;
  readonly tryNumber: number;
  /** `up_for_reschedule`: a sensor found nothing yet; it pokes again at `rescheduleAt`. */
  readonly state: 'success' | 'failed' | 'skipped' | 'up_for_reschedule';
  readonly rescheduleAt?: Date;
  /** A failure no retry can mend (a sensor's timeout): the task fails, retries left or not. */
  readonly final?: boolean;
  readonly startedAt: Date;
  readonly endedAt: Date;
  /** What the operator reported (rows, checks, summary); its output and reschedule apart. */
  readonly outcome: Omit<TaskOutcome, 'output' | 'reschedule'>;
  /** The task's output (checked to be JSON of at most 64 KiB), when it gave one. */
  readonly output?: unknown;
  readonly error?: { readonly code: string; readonly message: string };
  readonly log: readonly string[];
}

export class TaskTimeoutError extends DownbeatError {
  constructor(taskId: string, timeoutMs: number) {
    super('task_timeout', `task ${taskId} timed out after ${timeoutMs} ms and was cancelled`);
  }
}

/** A task read the output of a task that is not upstream of it: what it reads is not ready yet. */
export class OutputNotUpstreamError extends DownbeatError {
  constructor(taskId: string, read: string, upstream: readonly string[]) {
    super(
      'output_not_upstream',
      `task ${taskId} reads the output of task ${read}, which is not upstream of it (upstream: ${upstream.join(', ') || 'none'})`,
    );
  }
}

/** A branch chose a task that is not one of its direct downstream tasks. */
export class BranchChoiceError extends DownbeatError {
  constructor(taskId: string, chosen: readonly string[], downstream: readonly string[]) {
    super(
      'branch_not_downstream',
      `branch ${taskId} chose ${chosen.map((c) => `"${c}"`).join(', ')}, not among its downstream tasks (${downstream.join(', ') || 'none'})`,
    );
  }
}

export interface ExecuteTaskOptions {
  readonly run: RunInfo;
  readonly task: Task;
  readonly tryNumber: number;
  /** When the task instance's first try started. @default this try's start */
  readonly firstTryStartedAt?: Date;
  readonly connections: ConnectionResolver;
  readonly variables: VariableReader;
  /** The metadata DB's runs, for a sensor on another DAG. @default none: no run is found */
  readonly runs?: RunStateReader;
  /** Each log line as it is written, besides being kept in the result. */
  readonly onLog?: (line: string) => void;
  /** The run's params, defaults filled in (what context.params holds). @default none */
  readonly params?: Readonly<Record<string, unknown>>;
  /** The outputs of the task's upstream tasks in this run (what context.output reads). @default none */
  readonly upstreamOutputs?: ReadonlyMap<string, unknown>;
  /** Cancels the try from outside (a run cancelled, a worker stopping). */
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
}

/**
 * Runs one try of a task: builds its context, enforces its timeout (the work's signal is aborted,
 * and the try ends at the deadline even if the work ignores it), and turns whatever it throws
 * into a stored error with a stable code.
 */
export async function executeTask(options: ExecuteTaskOptions): Promise<TryResult> {
  const { run, task, tryNumber } = options;
  const now = options.now ?? (() => new Date());
  const lines: string[] = [];
  const write = (level: string, message: string) => {
    const line = redact(`${now().toISOString()} ${level} ${message}`);
    lines.push(line);
    options.onLog?.(line);
  };
  const log: TaskLogger = {
    info: (m) => write('INFO', m),
    warn: (m) => write('WARN', m),
    error: (m) => write('ERROR', m),
  };
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  let timedOut: TaskTimeoutError | undefined;
  const timeoutMs = task.settings.timeoutMs;
  const deadline =
    timeoutMs === null
      ? undefined
      : new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            timedOut = new TaskTimeoutError(task.id, timeoutMs);
            controller.abort(timedOut);
            reject(timedOut);
          }, timeoutMs);
        });

  const startedAt = now();
  write(
    'INFO',
    `starting ${task.id} (${task.operator.kind}), try ${tryNumber}, interval ${run.dataInterval.start.toISOString()} – ${run.dataInterval.end.toISOString()}`,
  );
  try {
    const work = task.operator.execute({
      ...run,
      taskId: task.id,
      tryNumber,
      firstTryStartedAt: options.firstTryStartedAt ?? startedAt,
      runs: options.runs ?? NO_RUNS,
      log,
      signal: controller.signal,
      connections: options.connections,
      variables: options.variables,
      now,
      params: options.params ?? {},
      output: (taskId) => {
        if (!task.upstream.has(taskId)) throw new OutputNotUpstreamError(task.id, taskId, [...task.upstream]);
        return options.upstreamOutputs?.get(taskId);
      },
    });
    const { output, reschedule, ...outcome } = await (deadline ? Promise.race([work, deadline]) : work);
    if (reschedule) {
      write(
        'INFO',
        `${task.id} pokes again at ${reschedule.toISOString()}, holding no worker slot until then`,
      );
      return {
        taskId: task.id,
        tryNumber,
        state: 'up_for_reschedule',
        rescheduleAt: reschedule,
        startedAt,
        endedAt: now(),
        outcome,
        log: lines,
      };
    }
    const strays = notDownstream(task.downstream, outcome.follow ?? []);
    if (strays.length > 0) throw new BranchChoiceError(task.id, strays, [...task.downstream]);
    // An output that cannot be kept fails the try here, before it is recorded as a success.
    if (output !== undefined) write('INFO', `output: ${truncated(outputJson(task.id, output))}`);
    if (outcome.summary) write('INFO', outcome.summary);
    write('INFO', `${task.id} ${outcome.skipped ? 'skipped itself' : 'succeeded'}`);
    return {
      taskId: task.id,
      tryNumber,
      state: outcome.skipped ? 'skipped' : 'success',
      startedAt,
      endedAt: now(),
      outcome,
      ...(output === undefined ? {} : { output }),
      log: lines,
    };
  } catch (thrown) {
    // Work that rejects as it is cancelled failed because of the timeout, whatever it says.
    const error = timedOut ?? toError(thrown);
    const final = error instanceof TaskFailure && error.final;
    write('ERROR', `${task.id} failed${final ? ' (no retry can mend it)' : ''}: ${error.message}`);
    return {
      taskId: task.id,
      tryNumber,
      state: 'failed',
      ...(final ? { final } : {}),
      startedAt,
      endedAt: now(),
      outcome: error instanceof TaskFailure ? error.outcome : {},
      error: { code: errorCode(error), message: redact(error.message) },
      log: lines,
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

const NO_RUNS: RunStateReader = { state: () => Promise.resolve(undefined) };

/** An output in the log: its first line's worth, the rest in the try's output. */
function truncated(json: string): string {
  return json.length <= 200 ? json : `${json.slice(0, 200)}… (${json.length} characters)`;
}
