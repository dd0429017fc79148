import { loadConfig } from '../../config/index.ts';
import { durationMs } from '../../dag/index.ts';
import {
  countOldAuditRows,
  countOldLogLines,
  countOldRuns,
  deleteOldAuditRows,
  deleteOldLogLines,
  deleteOldRuns,
} from '../../store/admin/index.ts';
import { openMetadata } from '../../app/index.ts';
import { parse, parseDate, UsageError } from '../args.ts';
import { print, type CliIo } from '../context.ts';

export const help = `Usage: downbeat db clean --before DATE|AGE [--runs] [--dry-run]

Deletes old history from the metadata DB, as Airflow's \`db clean --clean-before-timestamp\` does:
the log lines of tries that ended before the cutoff and the audit log's rows older than it, and
with --runs the finished runs that ended before it, with their task instances, tries, logs and
data-quality results. A running try's log is
never deleted; the newest scheduled run of each DAG (the schedule goes on from it) and the runs of
a backfill still running are kept. The scheduler can delete old logs by itself: --log-retention.
  --before DATE|AGE   a date (2024-01-01, ISO-8601 with a time) or an age before now (30d, 12h)
  --runs              also delete the finished runs that ended before the cutoff
  --dry-run           say what would be deleted, delete nothing`;

export async function dbClean(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    before: { type: 'string' },
    runs: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.before === undefined) throw new UsageError('--before is required: a date or an age such as 30d');
  const cutoff = beforeOption(values.before, Date.now());
  const config = loadConfig(io.env);
  const db = await openMetadata(config);
  try {
    const when = new Date(cutoff).toISOString();
    if (values['dry-run']) {
      const runs = values.runs ? await countOldRuns(db, cutoff) : 0;
      print(
        io.stdout,
        `would delete ${await countOldLogLines(db, cutoff)} log line(s) of tries that ended before ${when}` +
          `, ${await countOldAuditRows(db, cutoff)} audit row(s)` +
          (values.runs ? `, and ${runs} finished run(s) that ended before it` : ''),
      );
      return 0;
    }
    // Runs first: their log lines go with them, and the log pass has less to walk.
    const runs = values.runs ? await deleteOldRuns(db, cutoff) : 0;
    const { deleted } = await deleteOldLogLines(db, cutoff);
    const audit = await deleteOldAuditRows(db, cutoff);
    print(
      io.stdout,
      `deleted ${deleted} log line(s) of tries that ended before ${when}, ${audit} audit row(s)` +
        (values.runs ? `, and ${runs} finished run(s) with their task instances` : ''),
    );
    return 0;
  } finally {
    await db.close();
  }
}

/** `--before` (or `flag`): a date, or an age (`30d`) counted back from `now`. */
export function beforeOption(text: string, now: number, flag = '--before'): number {
  if (/^\d{4}-\d{2}-\d{2}/.test(text.trim())) return parseDate(text, flag).getTime();
  try {
    return now - durationMs(text);
  } catch {
    throw new UsageError(`${flag} "${text}" is neither a date (2024-01-01) nor an age (30d, 12h)`);
  }
}
