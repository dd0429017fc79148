import { Bar, BarChart, ResponsiveContainer, XAxis, YAxis, type BarShapeProps } from 'recharts';
import { STILL } from './chart-style.ts';

export interface Ranked {
  readonly label: string;
  readonly value: number;
}

interface Props {
  readonly title: string;
  /** Best first. */
  readonly items: readonly Ranked[];
  /** What a value counts, for the tooltips: "plays". */
  readonly unit: string;
  readonly colour?: string;
  readonly testId?: string;
}

const ROW = 34;
const BAR = 12;
/** Room right of the longest bar for its value. */
const VALUE_ROOM = 72;
/** Characters of a label that fit a column of the page at the chart's font size; a longer one is cut. */
const LABEL_CHARS = 88;

interface Row extends Ranked {
  readonly rank: string;
  readonly unit: string;
}

/** One row: the label above its bar, the value at the bar's end, the whole row its tooltip. */
function RankRow(props: BarShapeProps) {
  const {
    x = 0,
    y = 0,
    width = 0,
    fill,
  } = props as { x?: number; y?: number; width?: number; fill?: string };
  const row = (props as { payload?: Row }).payload;
  if (!row) return null;
  const label = `${row.rank}. ${row.label}`;
  const value = row.value.toLocaleString('en-US');
  return (
    <g data-testid="ranking-row">
      <title>{`${label}: ${value} ${row.unit}`}</title>
      <text x={x} y={y - 5} className="ranking-label">
        {label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}…` : label}
      </text>
      <rect x={x} y={y} width={Math.max(1, width)} height={BAR} rx={2} fill={fill} />
      <text x={x + Math.max(1, width) + 6} y={y + 10} className="ranking-value">
        {value}
      </text>
    </g>
  );
}

/** A ranking: one row per item, best first, bars to one scale. */
export function RankingChart({ title, items, unit, colour = '#1f6feb', testId }: Props) {
  const rows: Row[] = items.map((item, i) => ({ ...item, rank: String(i + 1), unit }));
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={Math.max(1, items.length) * ROW + 4}>
        <BarChart
          data={rows}
          layout="vertical"
          margin={{ top: 16, right: VALUE_ROOM, bottom: 0, left: 0 }}
          barCategoryGap={ROW - BAR}
          title={title}
        >
          <XAxis type="number" hide domain={[0, 'dataMax']} />
          <YAxis type="category" dataKey="rank" hide />
          <Bar dataKey="value" fill={colour} barSize={BAR} shape={RankRow} {...STILL} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
