/**
 * For tests of the SQL Redshift would receive (no Redshift runs here): a stand-in for a
 * node-postgres pool that records every statement, in order, and answers canned results. It is
 * only for asserting statement text; what can run is run against a real PostgreSQL.
 */
import type pg from 'pg';
import { RedshiftWarehouse } from './redshift-warehouse.ts';
import type { CopySettings } from './copy-object.ts';

export interface RecordedStatement {
  /** The text sent, without `--` comments, whitespace collapsed to single spaces. */
  readonly text: string;
  readonly values: readonly unknown[];
}

/** Rows (and a row count) for a statement, an error to throw, or undefined for no rows. */
export type CannedAnswer = { rows?: Record<string, unknown>[]; rowCount?: number } | Error | undefined;

export class RecordingPool {
  readonly statements: RecordedStatement[] = [];
  readonly #answer: (text: string, values: readonly unknown[]) => CannedAnswer;

  constructor(answer: (text: string, values: readonly unknown[]) => CannedAnswer = () => undefined) {
    this.#answer = answer;
  }

  /** The statements recorded since the last call. */
  take(): RecordedStatement[] {
    return this.statements.splice(0);
  }

  texts(): string[] {
    return this.take().map((s) => s.text);
  }

  #query = (text: string, values: readonly unknown[] = []): Promise<pg.QueryResult> => {
    const recorded = {
      text: text
        .replace(/--[^\n]*/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
      values,
    };
    this.statements.push(recorded);
    const answer = this.#answer(recorded.text, values);
    if (answer instanceof Error) return Promise.reject(answer);
    const rows = answer?.rows ?? [];
    return Promise.resolve({
      rows,
      rowCount: answer?.rowCount ?? rows.length,
      command: recorded.text.split(' ')[0] ?? '',
      oid: 0,
      fields: [],
    } as pg.QueryResult);
  };

  asPool(): pg.Pool {
    const client = {
      query: this.#query,
      release: () => undefined,
      on: () => client,
      off: () => client,
    };
    return {
      query: this.#query,
      connect: () => Promise.resolve(client),
      on: () => undefined,
      end: () => Promise.resolve(),
    } as unknown as pg.Pool;
  }
}

/** A RedshiftWarehouse whose every statement goes to `recording`. */
export function recordingRedshift(recording: RecordingPool, copy?: CopySettings): RedshiftWarehouse {
  return new RedshiftWarehouse({
    pool: recording.asPool(),
    location: 'redshift://example.abc123.us-west-2.redshift.amazonaws.com:5439/dev',
    copy,
  });
}
