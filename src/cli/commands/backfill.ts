import { alive } from '../../store/admin/index.ts';
import { backfillProgress, findBackfill, type BackfillProgress } from '../../store/read/index.ts';
import { cancelBackfill, createBackfill, planBackfill } from '../../store/runs/index.ts';
import { groupRanges, parseIntervalsPerRun, REPROCESS, type Reprocess } from '../../lifecycle/index.ts';
import { recordCliChange } from '../audit.ts';
import { parse, parseDate, UsageError } from '../args.ts';
import { findDag, print, runtimeFor, type CliIo } from '../context.ts';
import { startEngine } from '../../app/index.ts';
import { untilStopped } from '../signals.ts';

export const help = `Usage: downbeat dags backfill DAG_ID --start DATE --end DATE [options]
       downbeat dags backfill --cancel BACKFILL_ID

Runs a DAG for every interval in [--start, --end): --end is exclusive, like a data interval, so
--start 2018-11-01 --end 2018-12-01 is November's 720 hourly runs. The backfill is recorded in the
metadata DB and run by the scheduler (paused DAGs too); when no scheduler is alive, this command
runs one, with workers, for this backfill's runs until it ends. Interrupted, run the same command
again: unfinished runs are picked up. Exit status 0 only when every run succeeded.

  --start DATE             first interval's start (YYYY-MM-DD or ISO-8601, UTC)
  --end DATE               end, exclusive
  --reprocess MODE         existing runs: none (skip them, default), failed (rerun failed ones),
                           completed (rerun every finished one), stale (rerun exactly the runs
                           marked stale by \`downbeat sources check\`, and create no missing run)
  --dry-run                list the runs it would create or rerun, and the range runs it would
                           make, and stop
  --max-intervals-per-run N|all
                           consecutive intervals one execution covers (a range run over their
                           union; each interval keeps its own run); a failed range is split in
                           halves down to single intervals (default: the DAG's backfillPolicy)
  --max-active-runs N      executions of this backfill at once (default: the DAG's max_active_runs)
  --concurrency N          tasks at once when this command runs the workers (default 4)
  --cancel BACKFILL_ID     cancel a backfill: runs not started are dropped, running ones finish`;

export async function dagsBackfill(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    start: { type: 'string' },
    end: { type: 'string' },
    reprocess: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'max-active-runs': { type: 'string' },
    'max-intervals-per-run': { type: 'string' },
    concurrency: { type: 'string' },
    cancel: { type: 'string' },
  });
  if (values.cancel !== undefined) return cancel(values.cancel, io);
  const [dagId, ...extra] = positionals;
  if (!dagId || extra.length > 0) throw new UsageError(`expected DAG_ID\n\n${help}`);
  if (!values.start) throw new UsageError('--start is required');
  if (!values.end) throw new UsageError('--end is required');
  const start = parseDate(values.start, '--start');
  const end = parseDate(values.end, '--end');
  if (end <= start)
    throw new UsageError(`--end (${end.toISOString()}) must be after --start (${start.toISOString()})`);
  const reprocess = (values.reprocess ?? 'none') as Reprocess;
  if (!(REPROCESS as readonly string[]).includes(reprocess)) {
    throw new UsageError(`--reprocess must be ${REPROCESS.join(', ')}, got "${values.reprocess}"`);
  }
  const concurrency = wholeNumber(values.concurrency, '--concurrency', 4);
  const perRunText = values['max-intervals-per-run'];
  const perRun = perRunText === undefined ? undefined : parseIntervalsPerRun(perRunText);
  if (perRunText !== undefined && perRun === undefined)
    throw new UsageError(`--max-intervals-per-run must be a whole number ≥ 1 or all, got "${perRunText}"`);

  const runtime = await runtimeFor(io);
  try {
    const dag = findDag(runtime.folder, dagId);
    if (!dag.schedule)
      throw new UsageError(`DAG "${dag.id}" has no schedule: a backfill needs its intervals`);
    const request = {
      start,
      end,
      reprocess,
      maxActiveRuns: wholeNumber(values['max-active-runs'], '--max-active-runs', dag.maxActiveRuns),
      maxIntervalsPerRun: perRun ?? dag.backfillPolicy.maxIntervalsPerRun,
    };
    if (values['dry-run']) {
      const plan = await planBackfill(runtime.db, dag, request);
      for (const run of plan)
        print(
          io.stdout,
          `${run.action.padEnd(6)} ${run.logicalDate.toISOString()}${run.existing ? `  (now ${run.existing})` : ''}`,
        );
      const count = (action: string) => plan.filter((p) => p.action === action).length;
      const ranges = groupRanges(plan, request.maxIntervalsPerRun).filter((r) => r.intervals.length > 1);
      for (const range of ranges) {
        const first = range.intervals[0] as number;
        const end = dag.intervalFor(new Date(range.intervals[range.intervals.length - 1] as number)).end;
        print(
          io.stdout,
          `range  ${new Date(first).toISOString()} – ${end.toISOString()}  (${range.intervals.length} intervals in one run)`,
        );
      }
      print(
        io.stdout,
        `${plan.length} intervals: ${count('create')} to create, ${count('rerun')} to rerun, ${count('adopt')} unfinished to resume, ${count('skip')} to skip${ranges.length > 0 ? `, in ${ranges.length} range run(s)` : ''} (dry run: nothing was changed)`,
      );
      return 0;
    }
    const { id, plan } = await createBackfill(runtime.db, dag, request, Date.now());
    await recordCliChange(runtime.db, io, 'backfill.create', `${dag.id}/backfills/${id}`, {
      from_date: request.start.toISOString(),
      to_date: request.end.toISOString(),
      reprocess_behavior: request.reprocess,
      max_active_runs: request.maxActiveRuns,
      max_intervals_per_run: request.maxIntervalsPerRun,
    });
    const work = plan.filter((p) => p.action !== 'skip').length;
    print(
      io.stdout,
      `backfill ${id} of ${dag.id}: ${work} run(s) of ${plan.length} intervals (reprocess ${reprocess})`,
    );
    const schedulerAlive = await alive(runtime.db, 'scheduler', Date.now(), 15_000);
    const engine = schedulerAlive
      ? undefined
      : startEngine(runtime, {
          scheduler: true,
          worker: true,
          concurrency,
          backfillId: id,
          onError: (e) => print(io.stderr, `scheduler: ${e.message}`),
          log: (line) => print(io.stderr, line),
        });
    print(
      io.stdout,
      schedulerAlive
        ? 'a scheduler is running: it runs the backfill; this command shows progress'
        : 'no scheduler is running: running this backfill here',
    );

    const interrupted = new AbortController();
    const stopped = untilStopped(interrupted.signal).then((name) => name);
    const began = Date.now();
    let progress: BackfillProgress | undefined;
    let lastLine = 0;
    let unreachableSince: number | undefined;
    for (;;) {
      try {
        progress = await backfillProgress(runtime.db, id);
        unreachableSince = undefined;
      } catch (error) {
        // The metadata DB may be restarting: the scheduler and workers wait it out, and so does
        // this command, for up to 5 minutes.
        if (unreachableSince === undefined) {
          unreachableSince = Date.now();
          print(io.stderr, `\nmetadata DB unreachable, waiting for it: ${(error as Error).message}`);
        }
        if (Date.now() - unreachableSince > 300_000) throw error;
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if (!progress) break;
      const done = progress.success + progress.failed;
      if (io.stdout.isTTY) io.stdout.write(`\r${bar(progress, began)}\u001b[K`);
      else if (Date.now() - lastLine > 5000 || progress.state !== 'running') {
        lastLine = Date.now();
        print(io.stdout, bar(progress, began));
      }
      if (progress.state !== 'running' || done === progress.total) break;
      const signal = await Promise.race([
        stopped,
        new Promise<undefined>((r) => setTimeout(() => r(undefined), 500)),
      ]);
      if (signal) {
        print(
          io.stdout,
          `\ninterrupted: backfill ${id} is recorded; run the same command again to resume, or cancel it with --cancel ${id}`,
        );
        await engine?.stop();
        return 130;
      }
    }
    interrupted.abort();
    await engine?.stop();
    if (io.stdout.isTTY) io.stdout.write('\n');
    if (!progress) return 1;
    const failed = await runtime.db.query<{ run_id: string }>(
      "SELECT run_id FROM dag_runs WHERE backfill_id = $1 AND kind = 'interval' AND state = 'failed' ORDER BY logical_date",
      [id],
    );
    for (const run of failed.slice(0, 20)) print(io.stderr, `failed: ${run.run_id}`);
    print(
      io.stdout,
      `backfill ${id}: ${progress.success} succeeded, ${progress.failed} failed in ${((Date.now() - began) / 1000).toFixed(1)} s`,
    );
    return progress.failed === 0 ? 0 : 1;
  } finally {
    await runtime.close();
  }
}

async function cancel(text: string, io: CliIo): Promise<number> {
  const id = wholeNumber(text, '--cancel', 0);
  const runtime = await runtimeFor(io);
  try {
    const cancelled = await cancelBackfill(runtime.db, id, Date.now());
    if (cancelled) {
      const backfill = await findBackfill(runtime.db, id);
      await recordCliChange(runtime.db, io, 'backfill.cancel', `${backfill?.dag_id ?? ''}/backfills/${id}`);
    }
    print(io.stdout, cancelled ? `backfill ${id} cancelled` : `backfill ${id} is not running`);
    return cancelled ? 0 : 1;
  } finally {
    await runtime.close();
  }
}

function wholeNumber(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${flag} must be a whole number ≥ 1, got "${text}"`);
  return n;
}

function bar(p: BackfillProgress, began: number): string {
  const done = p.success + p.failed;
  const width = 30;
  const filled = p.total === 0 ? width : Math.round((done / p.total) * width);
  const elapsed = (Date.now() - began) / 1000;
  const eta = done > 0 && done < p.total ? ` ETA ${Math.round((elapsed / done) * (p.total - done))} s` : '';
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${p.total} runs (${p.failed} failed, ${p.running} running)${eta}`;
}
