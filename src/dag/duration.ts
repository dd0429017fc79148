import { DownbeatError } from '../errors/index.ts';

/** A span of time: milliseconds, or text such as `300ms`, `5m`, `1h30m`, `2d`. */
export type Duration = number | string;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds in a duration; throws for text it cannot read. */
export function durationMs(duration: Duration): number {
  if (typeof duration === 'number') {
    if (!Number.isFinite(duration) || duration < 0) {
      throw new DownbeatError(
        'invalid_duration',
        `a duration must be a non-negative number of ms, got ${duration}`,
      );
    }
    return duration;
  }
  const text = duration.trim();
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text.replace(/\s+/g, '')) {
    throw new DownbeatError(
      'invalid_duration',
      `cannot read duration "${duration}" (use e.g. 300ms, 30s, 5m, 1h30m, 2d)`,
    );
  }
  return parts.reduce((sum, [, value, unit]) => sum + Number(value) * (UNIT_MS[unit ?? 'ms'] ?? 1), 0);
}
