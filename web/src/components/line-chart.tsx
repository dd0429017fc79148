import { CHART, niceTicks, xAt, yAt } from '../lib/chart-scale.ts';
import { ChartAxes, spreadLabels } from './chart-axes.tsx';

export interface Series {
  readonly name: string;
  readonly colour: string;
  readonly values: readonly number[];
}

interface Props {
  readonly title: string;
  readonly labels: readonly string[];
  readonly series: readonly Series[];
  readonly testId?: string;
}

/** Lines over runs (oldest left), one per series, with a legend; points when there are few. */
export function LineChart({ title, labels, series, testId }: Props) {
  const n = labels.length;
  const { max, ticks } = niceTicks(Math.max(0, ...series.flatMap((s) => s.values)));
  const line = (values: readonly number[]) =>
    values
      .map((value, i) => `${i === 0 ? 'M' : 'L'}${xAt(i, n).toFixed(1)},${yAt(value, max).toFixed(1)}`)
      .join(' ');
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>
        {title}
        <span className="chart-legend">
          {series.map((s) => (
            <span key={s.name}>
              <span className="swatch" style={{ background: s.colour }} aria-hidden="true" />
              {s.name}
            </span>
          ))}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${CHART.width} ${CHART.height}`} role="img" aria-label={title}>
        <ChartAxes ticks={ticks} max={max} xLabels={spreadLabels(labels, (i) => xAt(i, n))} />
        {series.map((s) => (
          <g key={s.name}>
            <path d={line(s.values)} fill="none" stroke={s.colour} strokeWidth="2" />
            {n <= 120 &&
              s.values.map((value, i) => (
                <circle key={i} cx={xAt(i, n)} cy={yAt(value, max)} r="3" fill={s.colour}>
                  <title>{`${labels[i] ?? ''} ${s.name}: ${value.toLocaleString('en-US')}`}</title>
                </circle>
              ))}
          </g>
        ))}
      </svg>
    </figure>
  );
}
