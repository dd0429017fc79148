import type { DbSession } from '../db/index.ts';

/** Appends log lines of a try after those already stored. */
export async function appendLog(
  tx: DbSession,
  tiId: number,
  tryNumber: number,
  lines: readonly string[],
): Promise<void> {
  // One statement per slice of lines, numbered after those already stored (slices stay under the
  // engines' parameter limits).
  for (let start = 0; start < lines.length; start += 200) {
    const slice = lines.slice(start, start + 200);
    await tx.execute(
      `INSERT INTO task_log_lines (ti_id, try_number, line_no, text)
       SELECT $1, $2, (SELECT COALESCE(MAX(line_no), 0) FROM task_log_lines WHERE ti_id = $1 AND try_number = $2) + v.column1, v.column2
       FROM (VALUES ${slice.map((_, k) => `(CAST($${k * 2 + 3} AS INTEGER), CAST($${k * 2 + 4} AS TEXT))`).join(', ')}) AS v`,
      [tiId, tryNumber, ...slice.flatMap((text, k) => [k + 1, text])],
    );
  }
}
