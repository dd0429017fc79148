import { useState } from 'react';
import { PERIOD_COLUMNS, type Analysis } from '../../../pipelines/sparkify/analyses.ts';
import { api, type WarehouseQueryResult } from '../api.ts';
import { ErrorBanner, Loading } from '../components/error-banner.tsx';
import { count, longDate } from '../lib/format.ts';
import { keys } from '../lib/queries.ts';
import { usePoll } from '../lib/use-poll.ts';
import { AnalysisChart, cellsOf } from './analysis-chart.tsx';

interface Answer {
  readonly result: WarehouseQueryResult;
  readonly ms: number;
}

/**
 * One analysis: its SQL sent as written to the explorer's read-only query, drawn as its chart,
 * with the period of the plays it summarises and a toggle that shows the SQL.
 */
export function AnalysisCard({ analysis }: { analysis: Analysis }) {
  const [showSql, setShowSql] = useState(false);
  const answer = usePoll(
    [...keys.warehouse, 'analysis', analysis.id],
    async (): Promise<Answer> => {
      const started = performance.now();
      const result = await api.warehouseQuery({ sql: analysis.sql, limit: analysis.limit });
      return { result, ms: performance.now() - started };
    },
    0,
  );
  const sqlId = `analysis-sql-${analysis.id}`;
  const wide = analysis.chart.kind === 'lines';
  return (
    <section
      className={`card analysis${wide ? ' wide' : ''}`}
      aria-labelledby={`analysis-${analysis.id}`}
      data-testid="analysis"
      data-analysis={analysis.id}
    >
      <h2 id={`analysis-${analysis.id}`}>{analysis.title}</h2>
      <p className="muted small">{analysis.description}</p>
      <ErrorBanner message={answer.error} />
      {answer.data === undefined ? (
        !answer.error && <Loading what="Running its query" />
      ) : (
        <>
          <Period answer={answer.data} summarises={analysis.summarises} />
          {answer.data.result.rows.length > 0 && (
            <AnalysisChart analysis={analysis} result={answer.data.result} />
          )}
        </>
      )}
      <div className="row">
        <button
          type="button"
          className="secondary"
          aria-expanded={showSql}
          aria-controls={sqlId}
          onClick={() => setShowSql(!showSql)}
          data-testid="analysis-toggle-sql"
        >
          {showSql ? 'Hide query' : 'Show query'}
        </button>
      </div>
      {showSql && (
        <pre id={sqlId} className="analysis-sql" data-testid="analysis-sql">
          {analysis.sql}
        </pre>
      )}
    </section>
  );
}

/** The first and last play the result summarises, their number, and the query's time. */
function Period({ answer, summarises }: { answer: Answer; summarises: string }) {
  const { result, ms } = answer;
  const first = (column: string) => cellsOf(result, column)[0];
  const start = first(PERIOD_COLUMNS.start);
  const end = first(PERIOD_COLUMNS.end);
  const plays = Number(first(PERIOD_COLUMNS.plays) ?? 0);
  if (result.rows.length === 0)
    return (
      <p className="muted" data-testid="analysis-period">
        No {summarises} to summarise.
      </p>
    );
  return (
    <p className="small" data-testid="analysis-period">
      <strong>Period:</strong> {longDate(typeof start === 'string' ? start : null).replace(' UTC', '')} to{' '}
      {longDate(typeof end === 'string' ? end : null)} · {count(plays)} {summarises}{' '}
      <span className="muted">
        · query {Math.round(ms).toLocaleString('en-US')} ms
        {result.truncated ? ' · rows cut off at the limit' : ''}
      </span>
    </p>
  );
}
