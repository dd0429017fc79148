import { setTimeout as delay } from 'node:timers/promises';
import {
  durationMs,
  TaskFailure,
  type Duration,
  type Operator,
  type TaskContext,
  type TaskOutcome,
} from '../../dag/index.ts';
import { DownbeatError } from '../../errors/index.ts';

/** How a sensor waits: Airflow's BaseSensorOperator settings, with its defaults. */
export interface SensorOptions {
  /** Between two pokes. @default '1m' */
  readonly pokeInterval?: Duration;
  /**
   * How long it may wait, counted from its first try's start (retries and reschedules do not
   * reset it); then it fails, with no retry, or is skipped with `softFail`. @default '7d'
   */
  readonly timeout?: Duration;
  /**
   * `poke` waits between pokes holding its worker slot (for waits of seconds); `reschedule`
   * frees the slot: the task instance is `up_for_reschedule` until its next poke. @default 'poke'
   */
  readonly mode?: 'poke' | 'reschedule';
  /** At its timeout the sensor is skipped, not failed (its skip spreads downstream). @default false */
  readonly softFail?: boolean;
}

export interface ResolvedSensor {
  readonly pokeIntervalMs: number;
  readonly timeoutMs: number;
  readonly mode: 'poke' | 'reschedule';
  readonly softFail: boolean;
}

/** One poke: whether the condition holds, and what was seen, for the log and the summary. */
export interface Poke {
  readonly met: boolean;
  readonly detail: string;
  /** The sensor's output when the condition holds. @default none */
  readonly output?: unknown;
}

/** Sensor settings with defaults, or an error that names the sensor kind and the setting. */
export function resolveSensor(kind: string, options: SensorOptions): ResolvedSensor {
  const ms = (name: 'pokeInterval' | 'timeout', fallback: number): number => {
    const value = options[name];
    if (value === undefined) return fallback;
    try {
      return durationMs(value);
    } catch (error) {
      throw new DownbeatError('invalid_sensor', `${kind} ${name}: ${(error as Error).message}`);
    }
  };
  const mode = options.mode ?? 'poke';
  if (mode !== 'poke' && mode !== 'reschedule') {
    throw new DownbeatError(
      'invalid_sensor',
      `${kind} mode "${String(mode)}" is neither poke nor reschedule`,
    );
  }
  const pokeIntervalMs = ms('pokeInterval', 60_000);
  if (pokeIntervalMs <= 0) throw new DownbeatError('invalid_sensor', `${kind} pokeInterval must be above 0`);
  return {
    pokeIntervalMs,
    timeoutMs: ms('timeout', 7 * 86_400_000),
    mode,
    softFail: options.softFail ?? false,
  };
}

/**
 * What a sensor does when its condition does not hold yet: past its timeout it fails (a final
 * failure, no retry) or, with softFail, skips itself; in reschedule mode it gives its slot back
 * until its next poke; in poke mode it waits here and returns undefined: poke again.
 */
export async function notYet(
  sensor: ResolvedSensor,
  context: TaskContext,
  detail: string,
): Promise<TaskOutcome | undefined> {
  const now = context.now().getTime();
  const deadline = context.firstTryStartedAt.getTime() + sensor.timeoutMs;
  if (now >= deadline) {
    const message = `${detail}; timed out after waiting ${Math.round((now - context.firstTryStartedAt.getTime()) / 1000)} s`;
    if (sensor.softFail) {
      context.log.warn(`${message}: skipped (softFail)`);
      return { skipped: true, summary: message };
    }
    throw new TaskFailure('sensor_timeout', message, {}, { final: true });
  }
  const next = Math.min(now + sensor.pokeIntervalMs, deadline);
  context.log.info(`${detail}; poking again at ${new Date(next).toISOString()}`);
  if (sensor.mode === 'reschedule') return { reschedule: new Date(next), summary: detail };
  await delay(next - now, undefined, { signal: context.signal });
  return undefined;
}

/** An operator that pokes until its condition holds (Airflow's sensors). */
export function sensorOperator(
  kind: string,
  describe: Record<string, unknown>,
  options: SensorOptions,
  poke: (context: TaskContext) => Promise<Poke>,
): Operator {
  const sensor = resolveSensor(kind, options);
  return {
    kind,
    describe: () => ({
      ...describe,
      pokeInterval: sensor.pokeIntervalMs,
      timeout: sensor.timeoutMs,
      mode: sensor.mode,
      softFail: sensor.softFail,
    }),
    async execute(context) {
      for (;;) {
        const seen = await poke(context);
        if (seen.met)
          return { summary: seen.detail, ...(seen.output === undefined ? {} : { output: seen.output }) };
        const outcome = await notYet(sensor, context, seen.detail);
        if (outcome) return outcome;
      }
    },
  };
}
