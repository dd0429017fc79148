// How times, durations and numbers read in the UI. Times are shown in UTC, like the API gives them.

/** 2018-11-03T10:00 — to the minute, UTC. */
export function shortDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toISOString().slice(0, 16);
}

/** 2018-11-03 10:00:05 UTC */
export function longDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** 4.2s, 3m 05s, 2h 01m */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** The value of a datetime-local input for a date, in UTC. */
export function toInputValue(date: Date): string {
  return date.toISOString().slice(0, 16);
}

/** A datetime-local input's value, read as UTC, as an ISO string; null when it is not a date. */
export function fromInputValue(value: string): string | null {
  if (value === '') return null;
  const date = new Date(value.length === 16 ? `${value}:00Z` : `${value}Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
