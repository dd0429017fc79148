import { describe, expect, it } from 'vitest';
import {
  GENERATE_DEFAULTS,
  InvalidGenerateOptionError,
  resolveGenerateOptions,
  type GenerateOptions,
} from './index.ts';

describe('resolveGenerateOptions', () => {
  it('fills in the documented defaults', () => {
    expect(resolveGenerateOptions({})).toEqual({
      start: new Date('2018-11-01T00:00:00Z'),
      end: new Date('2018-12-01T00:00:00Z'),
      users: 100,
      songs: 2000,
      eventsPerDay: 300,
      matchRate: 0.2,
      faults: 0,
      seed: 42,
    });
    expect(resolveGenerateOptions()).toEqual(GENERATE_DEFAULTS);
  });

  const bad: [GenerateOptions, keyof GenerateOptions][] = [
    [{ start: new Date('2018-12-01T00:00:00Z') }, 'end'],
    [{ end: new Date('2018-11-01T00:00:00Z') }, 'end'],
    [{ start: new Date('nonsense') }, 'start'],
    [{ users: 0 }, 'users'],
    [{ users: 2.5 }, 'users'],
    [{ songs: 0 }, 'songs'],
    [{ eventsPerDay: -1 }, 'eventsPerDay'],
    [{ eventsPerDay: Number.NaN }, 'eventsPerDay'],
    [{ faults: 1.5 }, 'faults'],
    [{ seed: -3 }, 'seed'],
    [{ matchRate: 1.2 }, 'matchRate'],
    [{ matchRate: Number.NaN }, 'matchRate'],
  ];
  it.each(bad)('rejects %o, naming %s', (options, option) => {
    let thrown: unknown;
    try {
      resolveGenerateOptions(options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidGenerateOptionError);
    expect((thrown as InvalidGenerateOptionError).option).toBe(option);
    expect((thrown as Error).message.startsWith(`${option} `)).toBe(true);
  });
});
