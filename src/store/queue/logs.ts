import type { DbSession, MetadataDialect, Statement } from '../db/index.ts';

/**
 * The statement that appends these log lines of a try after those already stored: one statement
 * whatever their number (the lines go as one JSON array), numbered on from the try's last line.
 */
export function appendLogStatement(
  dialect: MetadataDialect,
  tiId: number,
  tryNumber: number,
  lines: readonly string[],
): Statement {
  const after = '(SELECT COALESCE(MAX(line_no), 0) FROM task_log_lines WHERE ti_id = $1 AND try_number = $2)';
  const each =
    dialect === 'postgres'
      ? `SELECT $1, $2, ${after} + v.n, v.line FROM jsonb_array_elements_text(CAST($3 AS jsonb)) WITH ORDINALITY AS v(line, n)`
      : `SELECT $1, $2, ${after} + v.key + 1, v.value FROM json_each($3) AS v`;
  return {
    sql: `INSERT INTO task_log_lines (ti_id, try_number, line_no, text) ${each}`,
    params: [tiId, tryNumber, JSON.stringify(lines)],
  };
}

/** Appends log lines of a try after those already stored. */
export async function appendLog(
  tx: DbSession,
  tiId: number,
  tryNumber: number,
  lines: readonly string[],
): Promise<void> {
  if (lines.length === 0) return;
  const { sql, params } = appendLogStatement(tx.dialect, tiId, tryNumber, lines);
  await tx.execute(sql, params);
}
