import type { CheckResult, TaskOutcome } from '../../dag/index.ts';
import type { DbSession, MetadataDialect, Statement } from '../db/index.ts';
import { appendLogStatement } from './logs.ts';

/** How a try's work ended, as its worker reports it. */
export interface TryEnd {
  readonly tiId: number;
  readonly tryNumber: number;
  readonly worker: string;
  /** `up_for_reschedule`: a sensor found nothing yet, and pokes again at `rescheduleAt`. */
  readonly state: 'success' | 'failed' | 'skipped' | 'up_for_reschedule';
  readonly rescheduleAt?: number;
  /** A failure no retry can mend (a sensor's timeout). @default false */
  readonly final?: boolean;
  readonly outcome: TaskOutcome;
  /** The task's output, a JSON value (checked by the executor). @default none */
  readonly output?: unknown;
  readonly error?: { readonly code: string; readonly message: string };
  readonly log: readonly string[];
}

/**
 * The try's row and the rest of its log, as statements for one batch (end-try.ts). A range run's results per covered interval (thousands, for a month of hours) are
 * kept in check_results only (recordChecks), not again in the try's outcome.
 */
export function recordTryStatements(dialect: MetadataDialect, end: TryEnd, now: number): Statement[] {
  const checks: readonly CheckResult[] = end.outcome.checks ?? [];
  const outcome = checks.some((c) => c.interval !== undefined)
    ? { ...end.outcome, checks: checks.filter((c) => c.interval === undefined) }
    : end.outcome;
  const tryRow: Statement = {
    sql: `UPDATE task_tries SET state = $1, ended_at = $2, error_code = $3, error_message = $4, outcome = $5, output = $8
     WHERE ti_id = $6 AND try_number = $7`,
    params: [
      end.state,
      now,
      end.error?.code ?? null,
      end.error?.message ?? null,
      JSON.stringify(outcome),
      end.tiId,
      end.tryNumber,
      end.output === undefined ? null : JSON.stringify(end.output),
    ],
  };
  if (end.log.length === 0) return [tryRow];
  return [tryRow, appendLogStatement(dialect, end.tiId, end.tryNumber, end.log)];
}

/** The try's data-quality results, in multi-row INSERTs under the engines' parameter limits. */
export async function recordChecks(tx: DbSession, end: TryEnd): Promise<void> {
  const checks: readonly CheckResult[] = end.outcome.checks ?? [];
  for (let start = 0; start < checks.length; start += 500) {
    const slice = checks.slice(start, start + 500);
    await tx.execute(
      `INSERT INTO check_results (ti_id, try_number, position, name, check_sql, expected, actual, passed, interval_start)
       VALUES ${slice.map((_, i) => `($1, $2, ${[3, 4, 5, 6, 7, 8, 9].map((k) => `$${i * 7 + k}`).join(', ')})`).join(', ')}`,
      [
        end.tiId,
        end.tryNumber,
        ...slice.flatMap((check, i) => [
          start + i,
          check.name,
          check.sql ?? null,
          check.expected,
          check.actual,
          check.passed ? 1 : 0,
          check.interval === undefined ? null : Date.parse(check.interval),
        ]),
      ],
    );
  }
}
