/**
 * Invalid lines planted in log_data on request, so that tests can check they are rejected with
 * file, line and reason. Each replaces the event that would have been on its line.
 */
import type { DayPlan } from './days.ts';
import { InvalidGenerateOptionError } from './options.ts';
import { createRandom } from './random.ts';

export type FaultKind = 'truncated-json' | 'text-for-number' | 'not-json' | 'not-an-object';

/** The kinds, in the order faults take them. */
export const FAULT_KINDS: readonly FaultKind[] = [
  'truncated-json',
  'text-for-number',
  'not-json',
  'not-an-object',
];

export interface GeneratedFault {
  /** The log_data object that holds the line. */
  readonly key: string;
  /** 1-based. */
  readonly line: number;
  readonly kind: FaultKind;
}

/**
 * Spreads `count` faults evenly over the days (a full day passes its faults on to the next), on
 * lines drawn at random; the result is sorted by key and line.
 */
export function planFaults(seed: number, days: readonly DayPlan[], count: number): GeneratedFault[] {
  const capacity = days.reduce((sum, day) => sum + day.lines, 0);
  if (count > capacity) {
    throw new InvalidGenerateOptionError(
      'faults',
      `must be at most the number of log lines (${capacity}); raise eventsPerDay or widen start–end`,
    );
  }
  const perDay = days.map(() => [] as FaultKind[]);
  for (let j = 0; j < count; j += 1) {
    let d = Math.floor(((j + 0.5) * days.length) / count);
    while ((perDay[d] as FaultKind[]).length >= (days[d] as DayPlan).lines) d = (d + 1) % days.length;
    (perDay[d] as FaultKind[]).push(FAULT_KINDS[j % FAULT_KINDS.length] as FaultKind);
  }
  const rng = createRandom(seed, 'faults');
  return days.flatMap((day, d) => {
    const kinds = perDay[d] as FaultKind[];
    const lines = rng.sample(day.lines, kinds.length);
    return kinds.map((kind, i): GeneratedFault => ({ key: day.key, line: (lines[i] as number) + 1, kind }));
  });
}

/** The faulty text that takes the place of `eventLine`. */
export function faultLine(kind: FaultKind, eventLine: string): string {
  switch (kind) {
    case 'truncated-json':
      // Any proper prefix of an object is invalid JSON: its closing brace is missing.
      return eventLine.slice(0, Math.floor(eventLine.length / 2));
    case 'text-for-number':
      // `"sessionId":` can only be the key: inside a JSON string a quote would be escaped.
      return eventLine.replace(/"sessionId":\d+,/, '"sessionId":"abc",');
    case 'not-json':
      return 'this is not json';
    case 'not-an-object':
      return '[1,2,3]';
  }
}
