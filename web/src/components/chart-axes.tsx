import { CHART, shortNumber, yAt } from '../lib/chart-scale.ts';

interface Props {
  readonly ticks: readonly number[];
  readonly max: number;
  /** x labels: [x, text] pairs. */
  readonly xLabels: readonly (readonly [number, string])[];
  readonly format?: (value: number) => string;
}

/** Horizontal grid lines with y labels, and a few x labels under the plot. */
export function ChartAxes({ ticks, max, xLabels, format = shortNumber }: Props) {
  return (
    <g className="axes" aria-hidden="true">
      {ticks.map((tick) => (
        <g key={tick}>
          <line x1={CHART.left} x2={CHART.width - CHART.right} y1={yAt(tick, max)} y2={yAt(tick, max)} />
          <text x={CHART.left - 6} y={yAt(tick, max) + 4} textAnchor="end">
            {format(tick)}
          </text>
        </g>
      ))}
      {xLabels.map(([x, text]) => (
        <text key={`${x}-${text}`} x={x} y={CHART.height - 8} textAnchor="middle">
          {text}
        </text>
      ))}
    </g>
  );
}

/** Every nth label so that about `want` fit under the chart. */
export function spreadLabels(
  labels: readonly string[],
  x: (i: number) => number,
  want = 6,
): [number, string][] {
  const every = Math.max(1, Math.ceil(labels.length / want));
  return labels.flatMap((label, i) => (i % every === 0 ? [[x(i), label] as [number, string]] : []));
}
