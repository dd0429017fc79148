import { describe, expect, it } from 'vitest';
import {
  dag,
  DagDefinitionError,
  durationMs,
  paramsOf,
  renderTemplate,
  resolveConf,
  utcDaysIn,
  type Operator,
} from './index.ts';

const op: Operator = { kind: 'test', describe: () => ({}), execute: () => Promise.resolve({}) };

function problemsOf(build: () => unknown): string[] {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(DagDefinitionError);
    return [...(error as DagDefinitionError).problems];
  }
  throw new Error('expected a DagDefinitionError');
}

describe('dag()', () => {
  it('builds tasks and edges with chain(), and orders them topologically', () => {
    const d = dag(
      {
        id: 'etl',
        schedule: '@hourly',
        startDate: '2018-11-01T00:00:00Z',
        defaultArgs: { retries: 3, retryDelay: '5m' },
      },
      (b) => {
        const begin = b.task('begin', op);
        const a = b.task('a', op);
        const c = b.task('c', op, { retries: 0 });
        b.task('end', op, { upstream: [a, c] });
        b.chain(begin, [a, c]);
      },
    );
    expect(d.topologicalOrder()).toEqual(['begin', 'a', 'c', 'end']);
    expect([...(d.tasks.get('end')?.upstream ?? [])]).toEqual(['a', 'c']);
    expect(d.tasks.get('a')?.settings).toMatchObject({
      retries: 3,
      retryDelayMs: 300_000,
      dependsOnPast: false,
      timeoutMs: null,
    });
    expect(d.tasks.get('c')?.settings.retries).toBe(0);
    expect(d.catchup).toBe(false);
  });

  it('names the DAG and each problem: cycle, duplicate and unknown ids, bad cron', () => {
    const problems = problemsOf(() =>
      dag({ id: 'broken', schedule: '61 * * * *', startDate: 'not a date' }, (b) => {
        b.task('a', op);
        b.task('a', op);
        b.task('b', op);
        b.task('c', op);
        b.chain('a', 'b', 'c', 'a');
        b.edge('b', 'ghost');
      }),
    );
    expect(problems.join('\n')).toMatch(/bad schedule: .*minute/);
    expect(problems).toContain('bad start date "not a date"');
    expect(problems).toContain('duplicate task id "a"');
    expect(problems).toContain('edge b → ghost names unknown task "ghost"');
    expect(problems).toContain('cycle: a → b → c → a');
    expect(() =>
      dag({ id: 'broken', schedule: '* * *', startDate: '2018-11-01' }, (b) => b.task('x', op)),
    ).toThrow(/DAG "broken" is invalid: bad schedule/);
  });

  it('rejects a DAG without tasks and a bad duration', () => {
    expect(
      problemsOf(() => dag({ id: 'empty', schedule: null, startDate: '2018-11-01' }, () => undefined)),
    ).toEqual(['it has no tasks']);
    expect(
      problemsOf(() =>
        dag({ id: 'd', schedule: null, startDate: '2018-11-01' }, (b) =>
          b.task('x', op, { timeout: '5 parsecs' }),
        ),
      )[0],
    ).toMatch(/task "x" timeout: cannot read duration/);
  });

  it('takes a backfill policy of a whole number or all, and refuses any other, naming it', () => {
    const d = (maxIntervalsPerRun: unknown) =>
      dag(
        {
          id: 'p',
          schedule: '@hourly',
          startDate: '2018-11-01',
          backfillPolicy: { maxIntervalsPerRun: maxIntervalsPerRun as number },
        },
        (b) => b.task('x', op),
      );
    expect(d('all').backfillPolicy).toEqual({ maxIntervalsPerRun: 'all' });
    expect(d(24).backfillPolicy).toEqual({ maxIntervalsPerRun: 24 });
    expect(
      dag({ id: 'q', schedule: '@hourly', startDate: '2018-11-01' }, (b) => b.task('x', op)).backfillPolicy,
    ).toEqual({ maxIntervalsPerRun: 1 });
    for (const bad of [0, 1.5, 'some'])
      expect(problemsOf(() => d(bad))).toEqual([
        `backfillPolicy.maxIntervalsPerRun must be a whole number ≥ 1 or 'all', got ${bad}`,
      ]);
    // The schedule's intervals a range run over [start, end) covers.
    expect(
      d(1)
        .intervalsBetween(new Date('2018-11-01T01:30:00Z'), new Date('2018-11-01T04:00:00Z'))
        .map((i) => i.start.toISOString()),
    ).toEqual(['2018-11-01T02:00:00.000Z', '2018-11-01T03:00:00.000Z']);
  });

  it('gives each logical date its data interval on the schedule', () => {
    const hourly = dag({ id: 'h', schedule: '0 * * * *', startDate: '2018-11-01' }, (b) => b.task('x', op));
    expect(hourly.intervalFor(new Date('2018-11-15T10:00:00Z'))).toEqual({
      start: new Date('2018-11-15T10:00:00Z'),
      end: new Date('2018-11-15T11:00:00Z'),
    });
    expect(hourly.intervalFor(new Date('2018-11-15T10:30:00Z')).start).toEqual(
      new Date('2018-11-15T10:00:00Z'),
    );
    const daily = dag(
      { id: 'd', schedule: '@daily', startDate: '2018-11-01', timezone: 'Europe/Amsterdam' },
      (b) => b.task('x', op),
    );
    expect(daily.intervalFor(new Date('2018-11-15T12:00:00Z'))).toEqual({
      start: new Date('2018-11-14T23:00:00Z'),
      end: new Date('2018-11-15T23:00:00Z'),
    });
  });
});

describe('templates and intervals', () => {
  it('renders key templates from a date, and refuses unknown placeholders', () => {
    const date = new Date('2018-11-05T07:00:00Z');
    expect(renderTemplate('log_data/{{ YYYY }}/{{MM}}/{{ ds }}-events.json', date)).toBe(
      'log_data/2018/11/2018-11-05-events.json',
    );
    expect(renderTemplate('{{ ds_nodash }}T{{ HH }}', date)).toBe('20181105T07');
    expect(() => renderTemplate('{{ nope }}', date)).toThrow(/unknown placeholder \{\{ nope \}\}/);
  });

  it('lists the UTC days an interval touches', () => {
    expect(
      utcDaysIn({ start: new Date('2018-11-05T07:00:00Z'), end: new Date('2018-11-05T08:00:00Z') }),
    ).toEqual([new Date('2018-11-05T00:00:00Z')]);
    expect(
      utcDaysIn({ start: new Date('2018-11-05T23:00:00Z'), end: new Date('2018-11-07T00:00:00Z') }),
    ).toEqual([new Date('2018-11-05T00:00:00Z'), new Date('2018-11-06T00:00:00Z')]);
  });

  it('reads durations', () => {
    expect(durationMs('5m')).toBe(300_000);
    expect(durationMs('1h30m')).toBe(5_400_000);
    expect(durationMs(250)).toBe(250);
    expect(() => durationMs('soon')).toThrow(/cannot read duration "soon"/);
  });
});

describe('trigger rules', () => {
  const op: Operator = { kind: 'noop', describe: () => ({}), execute: () => Promise.resolve({}) };
  it('keeps a task’s rule, all_success by default', () => {
    const d = dag({ id: 'rules', schedule: null, startDate: '2018-11-01' }, (b) => {
      b.task('a', op);
      b.task('b', op, { upstream: ['a'], triggerRule: 'all_done' });
    });
    expect(d.tasks.get('a')?.settings.triggerRule).toBe('all_success');
    expect(d.tasks.get('b')?.settings.triggerRule).toBe('all_done');
  });

  it('refuses an unknown rule, naming the DAG, the task and the value', () => {
    expect(() =>
      dag({ id: 'bad_rules', schedule: null, startDate: '2018-11-01' }, (b) => {
        b.task('a', op, { triggerRule: 'sometimes' as never });
      }),
    ).toThrow(
      /DAG "bad_rules" is invalid: task "a" triggerRule "sometimes" is not a trigger rule \(all_success, all_failed/,
    );
  });
});

describe('params', () => {
  const op: Operator = { kind: 'noop', describe: () => ({}), execute: () => Promise.resolve({}) };
  it('refuse a required param without a default on a scheduled DAG, a bad default, an enum without values', () => {
    expect(() =>
      dag(
        {
          id: 'p',
          schedule: '@daily',
          startDate: '2018-11-01',
          params: {
            target: { type: 'string', required: true },
            rows: { type: 'integer', default: 1.5 },
            mode: { type: 'enum' },
          },
        },
        (d) => void d.task('t', op),
      ),
    ).toThrow(
      /param "target" is required and has no default, so a scheduled run could not have it; param "rows": its default must be a whole number, got 1.5; param "mode": an enum needs its values/,
    );
  });

  it('give the run its params: conf values, else defaults', () => {
    const params = { rows: { type: 'integer', default: 10 }, note: { type: 'string' } } as const;
    expect(resolveConf('p', params, { rows: 3, other: true })).toEqual({ rows: 3, other: true });
    expect(resolveConf('p', params, {})).toEqual({ rows: 10 });
    expect(paramsOf(params, { rows: 3 })).toEqual({ rows: 3, note: null });
  });
});
