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
