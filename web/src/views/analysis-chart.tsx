import type {
  Analysis,
  ColumnsChart,
  LinesChart,
  RankingChart as Ranking,
} from '../../../pipelines/sparkify/analyses.ts';
import type { WarehouseCell, WarehouseQueryResult } from '../api.ts';
import { BarChart } from '../components/bar-chart.tsx';
import { LineChart } from '../components/line-chart.tsx';
import { RankingChart } from '../components/ranking-chart.tsx';

const COLOUR = '#1f6feb';

/** The cells of one column of a result, by its name (none when the result has no such column). */
export function cellsOf(result: WarehouseQueryResult, column: string): WarehouseCell[] {
  const at = result.columns.indexOf(column);
  return at < 0 ? [] : result.rows.map((row) => row[at] ?? null);
}

const text = (cell: WarehouseCell | undefined) =>
  cell === null || cell === undefined ? '' : typeof cell === 'string' ? cell : JSON.stringify(cell);
const numbers = (cells: readonly WarehouseCell[]) => cells.map((cell) => Number(cell) || 0);
/** 2018-11-03 → 11-03: days on an axis, the year said by the period above the chart. */
const shortDay = (day: string) => (/^\d{4}-\d\d-\d\d$/.test(day) ? day.slice(5) : day);

/** An analysis's result drawn as its chart says. */
export function AnalysisChart({ analysis, result }: { analysis: Analysis; result: WarehouseQueryResult }) {
  const chart = analysis.chart;
  if (chart.kind === 'columns') return <Columns chart={chart} result={result} />;
  if (chart.kind === 'lines') return <Lines chart={chart} result={result} />;
  return <Rank chart={chart} result={result} />;
}

function Columns({ chart, result }: { chart: ColumnsChart; result: WarehouseQueryResult }) {
  const labels = cellsOf(result, chart.x.column).map(text);
  const values = numbers(cellsOf(result, chart.y.column));
  const found = new Map(labels.map((label, i) => [label, values[i] ?? 0]));
  const categories = chart.categories ?? labels;
  const title = `${chart.y.label} by ${chart.x.label}`;
  return (
    <BarChart
      title={title}
      testId="analysis-columns"
      xLabelCount={chart.categories ? 12 : 8}
      bars={categories.map((label) => ({
        label: shortDay(label),
        value: found.get(label) ?? 0,
        colour: COLOUR,
        title: `${label}: ${(found.get(label) ?? 0).toLocaleString('en-US')} ${chart.y.label}`,
      }))}
    />
  );
}

function Lines({ chart, result }: { chart: LinesChart; result: WarehouseQueryResult }) {
  const labels = cellsOf(result, chart.x.column).map((cell) => shortDay(text(cell)));
  return (
    <div className="charts">
      {chart.panels.map((panel) => (
        <LineChart
          key={panel.title}
          title={`${panel.title} by ${chart.x.label}`}
          labels={labels}
          testId="analysis-lines"
          series={panel.series.map((s) => ({
            name: s.name,
            colour: s.colour,
            values: numbers(cellsOf(result, s.column)),
          }))}
        />
      ))}
    </div>
  );
}

function Rank({ chart, result }: { chart: Ranking; result: WarehouseQueryResult }) {
  const labels = chart.label.map((column) => cellsOf(result, column).map(text));
  const values = numbers(cellsOf(result, chart.value.column));
  return (
    <RankingChart
      title={`${chart.value.label}, most first`}
      unit={chart.value.label}
      testId="analysis-ranking"
      items={values.map((value, i) => ({
        label:
          labels
            .map((column) => column[i] ?? '')
            .filter((part) => part !== '')
            .join(' — ') || '(unnamed)',
        value,
      }))}
    />
  );
}
