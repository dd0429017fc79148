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

// Drawn about as wide as it is shown in a column of the page, so its text keeps its size.
const WIDTH = 600;
const ROW = 34;
const BAR = 12;
const VALUE_ROOM = 72;
/** Characters of a label that fit the width at the chart's font size; a longer one is cut. */
const LABEL_CHARS = 88;

/** A ranking: one row per item, its label above a horizontal bar, its value at the bar's end. */
export function RankingChart({ title, items, unit, colour = '#1f6feb', testId }: Props) {
  const max = Math.max(1, ...items.map((item) => item.value));
  const height = Math.max(1, items.length) * ROW + 4;
  const inner = WIDTH - VALUE_ROOM;
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={title} className="ranking">
        {items.map((item, i) => {
          const top = i * ROW;
          const width = Math.max(1, (item.value / max) * inner);
          const label = `${i + 1}. ${item.label}`;
          return (
            <g key={i} data-testid="ranking-row">
              <title>{`${label}: ${item.value.toLocaleString('en-US')} ${unit}`}</title>
              <text x={0} y={top + 13} className="ranking-label">
                {label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}…` : label}
              </text>
              <rect x={0} y={top + 18} width={width} height={BAR} rx={2} fill={colour} />
              <text x={width + 6} y={top + 28} className="ranking-value">
                {item.value.toLocaleString('en-US')}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
