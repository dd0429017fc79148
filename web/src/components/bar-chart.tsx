import {
  Bar,
  BarChart as Bars,
  CartesianGrid,
  Cell,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { AXIS_LINE, AXIS_TICK, CHART_HEIGHT, GRID, STILL, niceAxis, shortNumber } from './chart-style.ts';

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly colour: string;
  /** What the bar's tooltip says. */
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

/** One bar per run or category (oldest left), each with its own colour and a tooltip. */
export function BarChart({ title, bars, format = shortNumber, xLabelCount = 6, testId }: Props) {
  const rows = bars.map((bar, i) => ({ ...bar, key: i }));
  const every = Math.max(1, Math.ceil(bars.length / xLabelCount));
  const y = niceAxis(bars.map((bar) => bar.value));
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <Bars data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }} title={title}>
          <CartesianGrid {...GRID} />
          <XAxis
            dataKey="label"
            tick={AXIS_TICK}
            axisLine={AXIS_LINE}
            tickLine={false}
            interval={every - 1}
          />
          <YAxis
            {...y}
            tick={AXIS_TICK}
            axisLine={false}
            tickLine={false}
            tickFormatter={format}
            width={52}
          />
          <Tooltip
            cursor={{ fill: '#eef3fb' }}
            content={({ active, payload }) => {
              const bar = active ? (payload?.[0]?.payload as Bar | undefined) : undefined;
              return bar ? <div className="chart-tooltip">{bar.title}</div> : null;
            }}
            {...STILL}
          />
          <Bar dataKey="value" maxBarSize={24} minPointSize={0} {...STILL}>
            {rows.map((bar) => (
              <Cell key={bar.key} fill={bar.colour} />
            ))}
          </Bar>
        </Bars>
      </ResponsiveContainer>
    </figure>
  );
}
