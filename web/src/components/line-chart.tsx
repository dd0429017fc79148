import {
  CartesianGrid,
  Line,
  LineChart as Lines,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { AXIS_LINE, AXIS_TICK, CHART_HEIGHT, GRID, STILL, niceAxis, shortNumber } from './chart-style.ts';

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

/** Lines over runs or days (oldest left), one per series, with a legend; points when there are few. */
export function LineChart({ title, labels, series, testId }: Props) {
  const rows = labels.map((label, i) => ({
    label,
    ...Object.fromEntries(series.map((s) => [s.name, s.values[i] ?? 0])),
  }));
  const y = niceAxis(series.flatMap((s) => s.values));
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
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <Lines data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }} title={title}>
          <CartesianGrid {...GRID} />
          <XAxis dataKey="label" tick={AXIS_TICK} axisLine={AXIS_LINE} tickLine={false} minTickGap={24} />
          <YAxis
            {...y}
            tick={AXIS_TICK}
            axisLine={false}
            tickLine={false}
            tickFormatter={shortNumber}
            width={52}
          />
          <Tooltip formatter={(value) => Number(value).toLocaleString('en-US')} {...STILL} />
          {series.map((s) => (
            <Line
              key={s.name}
              dataKey={s.name}
              stroke={s.colour}
              strokeWidth={2}
              dot={labels.length <= 120 ? { r: 3, fill: s.colour } : false}
              {...STILL}
            />
          ))}
        </Lines>
      </ResponsiveContainer>
    </figure>
  );
}
