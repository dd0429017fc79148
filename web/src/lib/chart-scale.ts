// Axis helpers for the hand-drawn SVG charts.

/** A round upper bound for an axis (1, 2, 2.5, 5 × 10^n) and its evenly spaced ticks. */
export function niceTicks(max: number, count = 4): { max: number; ticks: number[] } {
  if (!(max > 0)) return { max: 1, ticks: [0, 1] };
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let value = 0; value <= top + step / 2; value += step) ticks.push(value);
  return { max: top, ticks };
}

/** 1.2k, 3.4M — short numbers for an axis. */
export function shortNumber(value: number): string {
  if (value >= 1e6) return `${+(value / 1e6).toFixed(1)}M`;
  if (value >= 1e3) return `${+(value / 1e3).toFixed(1)}k`;
  return `${+value.toFixed(1)}`;
}

export const CHART = { width: 760, height: 220, left: 52, right: 12, top: 12, bottom: 28 } as const;

/** x position of point i of n, spread across the plot area. */
export function xAt(i: number, n: number): number {
  const inner = CHART.width - CHART.left - CHART.right;
  return CHART.left + (n <= 1 ? inner / 2 : (i / (n - 1)) * inner);
}

export function yAt(value: number, max: number): number {
  const inner = CHART.height - CHART.top - CHART.bottom;
  return CHART.top + inner - (value / max) * inner;
}
