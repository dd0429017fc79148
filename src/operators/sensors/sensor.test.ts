import { describe, expect, it } from 'vitest';
import { TaskFailure, type RunStateReader, type TaskContext } from '../../dag/index.ts';
import { resolveSensor, sensorOperator } from './sensor.ts';
import { waitForRun } from './wait-for-run.ts';

const T0 = Date.parse('2018-11-15T10:00:00Z');

/** A context whose clock starts at the first try's start and moves only as `at.ms` is set. */
function contextAt(at: { ms: number }, runs?: RunStateReader): TaskContext & { lines: string[] } {
  const lines: string[] = [];
  return {
    dagId: 'd',
    runId: 'scheduled__2018-11-15T10:00:00.000Z',
    runType: 'scheduled',
    logicalDate: new Date(T0),
    dataInterval: { start: new Date(T0), end: new Date(T0 + 3_600_000) },
    conf: {},
    taskId: 'wait',
    tryNumber: 1,
    firstTryStartedAt: new Date(T0),
    runs: runs ?? { state: () => Promise.resolve(undefined) },
    log: { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) },
    signal: new AbortController().signal,
    connections: {} as never,
    variables: { get: () => Promise.resolve(undefined) },
    now: () => new Date(T0 + at.ms),
    output: () => undefined,
    params: {},
    lines,
  };
}

describe('a sensor', () => {
  it('in poke mode pokes in its own try until the condition holds', async () => {
    let pokes = 0;
    const sensor = sensorOperator('test', {}, { pokeInterval: '10ms', timeout: '1m' }, () => {
      pokes += 1;
      return Promise.resolve({ met: pokes === 3, detail: `poke ${pokes}`, output: pokes });
    });
    const context = contextAt({ ms: 0 });
    expect(await sensor.execute(context)).toEqual({ summary: 'poke 3', output: 3 });
    expect(context.lines.filter((l) => l.includes('poking again'))).toHaveLength(2);
  });

  it('in reschedule mode gives back its slot until its next poke, never past its timeout', async () => {
    const at = { ms: 0 };
    const sensor = sensorOperator(
      'test',
      {},
      { pokeInterval: '1m', timeout: '90s', mode: 'reschedule' },
      () => Promise.resolve({ met: false, detail: 'nothing yet' }),
    );
    expect(await sensor.execute(contextAt(at))).toEqual({
      reschedule: new Date(T0 + 60_000),
      summary: 'nothing yet',
    });
    at.ms = 60_000;
    expect((await sensor.execute(contextAt(at))).reschedule).toEqual(new Date(T0 + 90_000));
    at.ms = 90_000;
    const error = await sensor.execute(contextAt(at)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailure);
    expect(error).toMatchObject({
      code: 'sensor_timeout',
      final: true,
      message: 'nothing yet; timed out after waiting 90 s',
    });
  });

  it('with softFail skips itself at its timeout', async () => {
    const sensor = sensorOperator('test', {}, { timeout: '1s', softFail: true, mode: 'reschedule' }, () =>
      Promise.resolve({ met: false, detail: 'nothing yet' }),
    );
    expect(await sensor.execute(contextAt({ ms: 1000 }))).toMatchObject({ skipped: true });
  });

  it('refuses a setting it cannot read, naming the sensor and the setting', () => {
    expect(() => resolveSensor('wait_for_objects', { pokeInterval: 'soon' })).toThrow(
      /^wait_for_objects pokeInterval: cannot read duration "soon"/,
    );
    expect(() => resolveSensor('wait_for_objects', { mode: 'sleep' as never })).toThrow(
      'wait_for_objects mode "sleep" is neither poke nor reschedule',
    );
    expect(() => resolveSensor('wait_for_objects', { pokeInterval: 0 })).toThrow(
      /pokeInterval must be above 0/,
    );
    expect(resolveSensor('x', {})).toEqual({
      pokeIntervalMs: 60_000,
      timeoutMs: 604_800_000,
      mode: 'poke',
      softFail: false,
    });
  });
});

describe('waitForRun', () => {
  const asked: unknown[][] = [];
  const states = new Map<string, string>();
  const runs: RunStateReader = {
    state: (dagId, logicalDate, taskId) => {
      asked.push([dagId, logicalDate.toISOString(), taskId]);
      return Promise.resolve(states.get(taskId ?? 'run'));
    },
  };
  const reschedule = { mode: 'reschedule', pokeInterval: '1m' } as const;

  it("waits for the other DAG's run at this logical date minus delta, or for one task of it", async () => {
    const sensor = waitForRun({ dagId: 'upstream', delta: '1h', ...reschedule });
    expect((await sensor.execute(contextAt({ ms: 0 }, runs))).reschedule).toBeDefined();
    states.set('run', 'success');
    expect((await sensor.execute(contextAt({ ms: 0 }, runs))).summary).toBe(
      'upstream at 2018-11-15T09:00:00.000Z is success',
    );
    const task = waitForRun({ dagId: 'upstream', taskId: 'load', ...reschedule });
    states.set('load', 'running');
    expect((await task.execute(contextAt({ ms: 0 }, runs))).summary).toBe(
      'waiting for upstream.load at 2018-11-15T10:00:00.000Z to be success (it is running)',
    );
    expect(asked.at(-1)).toEqual(['upstream', '2018-11-15T10:00:00.000Z', 'load']);
  });

  it('fails at once, with no retry, when the other is in one of its failed states', async () => {
    states.set('load', 'failed');
    const sensor = waitForRun({ dagId: 'upstream', taskId: 'load', failedStates: ['failed'], ...reschedule });
    await expect(sensor.execute(contextAt({ ms: 0 }, runs))).rejects.toMatchObject({
      code: 'upstream_dag_failed',
      final: true,
    });
  });
});
