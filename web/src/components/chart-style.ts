// What the charts (Recharts, SVG) share: their height, axes and grid in the page's muted colours,
// and short numbers on the y axis.

export const CHART_HEIGHT = 220;
export const AXIS_TICK = { fontSize: 11, fill: '#5b6675' } as const;
export const AXIS_LINE = { stroke: '#c9d0da' } as const;
export const GRID = { stroke: '#e4e8ee', vertical: false } as const;
/** Drawn at once: a poll redrawing a chart every few seconds must not replay an animation. */
export const STILL = { isAnimationActive: false } as const;

/** 1.2k, 3.4M — short numbers for an axis. */
export function shortNumber(value: number): string {
  if (value >= 1e6) return `${+(value / 1e6).toFixed(1)}M`;
  if (value >= 1e3) return `${+(value / 1e3).toFixed(1)}k`;
  return `${+value.toFixed(1)}`;
}

/**
 * A y axis from 0 to a round top (1, 2, 2.5, 5 × 10^n steps) with its evenly spaced ticks: Recharts'
 * own steps can be 65 or 0.7 s, which a reader cannot add up.
 */
export function niceAxis(
  values: readonly number[],
  count = 4,
): { domain: [number, number]; ticks: number[] } {
  const max = Math.max(0, ...values);
  if (!(max > 0)) return { domain: [0, 1], ticks: [0, 1] };
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let value = 0; value <= top + step / 2; value += step) ticks.push(+value.toPrecision(12));
  return { domain: [0, top], ticks };
}
