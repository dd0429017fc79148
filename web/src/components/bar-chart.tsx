import { CHART, niceTicks, xAt, yAt } from '../lib/chart-scale.ts';
import { ChartAxes, spreadLabels } from './chart-axes.tsx';

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly colour: string;
  readonly title: string;
}

interface Props {
  readonly title: string;
  readonly bars: readonly Bar[];
  readonly format?: (value: number) => string;
  /** About how many x labels to show. @default 6 */
  readonly xLabelCount?: number;
  readonly testId?: string;
}

/** One bar per run (oldest left), each with its own colour and a tooltip. */
export function BarChart({ title, bars, format, xLabelCount, testId }: Props) {
  const n = bars.length;
  const { max, ticks } = niceTicks(Math.max(0, ...bars.map((bar) => bar.value)));
  const inner = CHART.width - CHART.left - CHART.right;
  const width = Math.max(1, Math.min(24, (inner / Math.max(n, 1)) * 0.7));
  // Bars are centred on the same x positions as a line chart's points, kept inside the plot.
  const x = (i: number) => (n <= 1 ? xAt(0, 1) : CHART.left + width / 2 + (i / (n - 1)) * (inner - width));
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${CHART.width} ${CHART.height}`} role="img" aria-label={title}>
        <ChartAxes
          ticks={ticks}
          max={max}
          format={format}
          xLabels={spreadLabels(
            bars.map((b) => b.label),
            x,
            xLabelCount,
          )}
        />
        {bars.map((bar, i) => (
          <rect
            key={i}
            x={x(i) - width / 2}
            y={yAt(bar.value, max)}
            width={width}
            height={Math.max(0, yAt(0, max) - yAt(bar.value, max))}
            fill={bar.colour}
          >
            <title>{bar.title}</title>
          </rect>
        ))}
      </svg>
    </figure>
  );
}
