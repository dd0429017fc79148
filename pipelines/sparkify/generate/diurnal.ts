/**
 * When in a UTC day people listen. Sparkify's users are in the US, so UTC mornings are their
 * night: far fewer sessions start then, and at small sizes many of those hours have no plays at
 * all (November 2018 had 176 of 720 hours without one).
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Relative activity for each UTC hour: quiet in the UTC night, busiest in the UTC afternoon. */
const HOURLY_WEIGHTS = [
  90, 80, 75, 80, 90, 105, 130, 160, 210, 260, 310, 350, 390, 430, 460, 470, 450, 410, 350, 290, 230, 175,
  130, 105,
];

const TOTAL = HOURLY_WEIGHTS.reduce((sum, weight) => sum + weight, 0);
const SHARES = HOURLY_WEIGHTS.map((weight) => weight / TOTAL);
/** CUMULATIVE[h] is the share of a day's activity before hour h; CUMULATIVE[24] is 1. */
const CUMULATIVE = SHARES.reduce<number[]>((acc, share) => [...acc, (acc.at(-1) ?? 0) + share], [0]);

/** The share of a day's activity in the first `ms` milliseconds of it. */
export function activityBefore(ms: number): number {
  if (ms <= 0) return 0;
  if (ms >= DAY_MS) return 1;
  const hour = Math.floor(ms / HOUR_MS);
  return (CUMULATIVE[hour] ?? 1) + (SHARES[hour] ?? 0) * ((ms - hour * HOUR_MS) / HOUR_MS);
}

/** The inverse of activityBefore: the time of day by which `share` of the activity has happened. */
export function timeOfActivity(share: number): number {
  let hour = 0;
  while (hour < 23 && (CUMULATIVE[hour + 1] ?? 1) <= share) hour += 1;
  const within = (share - (CUMULATIVE[hour] ?? 0)) / (SHARES[hour] ?? 1);
  return (hour + Math.min(Math.max(within, 0), 1)) * HOUR_MS;
}
