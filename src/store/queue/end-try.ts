/**
 * The end of a try, written down in one transaction: the try with its log and checks, the task
 * instance's next state (src/lifecycle/retry-policy.ts), its downstream tasks made ready or
 * upstream_failed (src/lifecycle/dependencies.ts), and the run's end when it was the last.
 */
import {
  ACTIVE_TASK_STATES,
  afterTry,
  retriesInRun,
  graphFromDownstream,
  skippedBy,
  type RunState,
  type TaskEnd,
  type TryEnding,
} from '../../lifecycle/index.ts';
import { sqlList, type Db, type DbSession, type Statement } from '../db/index.ts';
import { completeRunIfDone, countEnds, runGraph, skipTasks } from '../runs/index.ts';
import { readClaim, writeClaim, type ClaimedTask, type ClaimScope } from './claim.ts';
import { recordChecks, recordTryStatements, type TryEnd } from './record-try.ts';

const ACTIVE = sqlList(ACTIVE_TASK_STATES);

export type TryEndResult =
  /** The task succeeded; these downstream tasks became ready. */
  | { readonly state: 'success'; readonly ready: readonly string[]; readonly runState?: RunState }
  | { readonly state: 'up_for_retry'; readonly retryAt: number }
  /** A sensor pokes again then, on the same try. */
  | { readonly state: 'up_for_reschedule'; readonly readyAt: number }
  /** The task skipped itself; so did these tasks below it. */
  | { readonly state: 'skipped'; readonly skipped: readonly string[]; readonly runState?: RunState }
  /** Failed for good; these downstream tasks will not run. */
  | { readonly state: 'failed'; readonly upstreamFailed: readonly string[]; readonly runState?: RunState }
  /** The try was no longer this worker's (it was declared lost); nothing was recorded. */
  | { readonly state: 'stale' };

/**
 * On PostgreSQL the first statement locks the try's task instance (a zombie sweep skips it) and its
 * run (lockRun's order: the run, then its tasks); the try's row, log and next state then go in one
 * round trip, and the downstream tasks and the run's end are written only when there are any.
 */
export async function endTry(db: Db, end: TryEnd, now: number): Promise<TryEndResult> {
  return (await db.transaction((tx) => endInTransaction(tx, end, now))).result;
}

/** The claim a try's end makes for its worker: its own slot, and any other it has free. */
export interface NextClaim {
  readonly limit: number;
  readonly scope?: ClaimScope;
}

/** A try's end as a worker hands it in with others: its run (for the order) and the leaf hint. */
export type HandedEnd = TryEnd & {
  readonly runPk: number;
  /** The worker's DAG has nothing below the task (a hint: the run's own graph decides). */
  readonly leaf?: boolean;
};

/**
 * A try's end and its worker's next claim (claim.ts) in one transaction: one commit where there
 * were two, and the downstream tasks this end made ready are among those it may claim.
 */
export async function endTryAndClaim(
  db: Db,
  end: TryEnd,
  now: number,
  next: NextClaim & { readonly leaf?: boolean },
): Promise<{ readonly result: TryEndResult; readonly claimed: ClaimedTask[] }> {
  const { results, claimed } = await endTriesAndClaim(db, [{ ...end, runPk: 0, leaf: next.leaf }], now, next);
  return { result: results[0] as TryEndResult, claimed };
}

/**
 * Tries' ends and one claim for their worker in one transaction (one commit for all): a worker
 * whose tries end while another end is being written records them together. The ends are
 * written in their runs' order, so that two such transactions lock runs in the same order. When
 * every end is a success (or skip) of a leaf task, whose verdict needs nothing read first, the
 * locks, the tries' rows and the claim's reads go in one round trip and the claim's writes with
 * the commit in a second, however many ends there are; otherwise each end is written in turn
 * (its lock; its rows; what it makes of the tasks below it), then the claim.
 */
export async function endTriesAndClaim(
  db: Db,
  ends: readonly HandedEnd[],
  now: number,
  next: NextClaim,
): Promise<{ readonly results: TryEndResult[]; readonly claimed: ClaimedTask[] }> {
  const order = ends
    .map((end, i) => ({ end, i }))
    .sort((a, b) => a.end.runPk - b.end.runPk || a.end.tiId - b.end.tiId);
  const inTurn = () =>
    db.transaction(async (tx) => {
      const [only] = ends;
      // One end: its rows go with the claim's reads where its verdict allows (endInTransaction).
      if (only && ends.length === 1) {
        const { result, claimed } = await endInTransaction(tx, only, now, next);
        return { results: [result], claimed };
      }
      const results: TryEndResult[] = new Array<TryEndResult>(ends.length);
      for (const { end, i } of order) results[i] = (await endInTransaction(tx, end, now)).result;
      const read = await readClaim(tx, next.limit, now, next.scope);
      return { results, claimed: await writeClaim(tx, ends[0]?.worker ?? '', now, read) };
    });
  if (!ends.every(endsLeaf)) return inTurn();
  try {
    return await db.transaction(async (tx) => {
      const { ended, claimed } = await endLeavesInTransaction(
        tx,
        order.map(({ end }) => end),
        now,
        next,
      );
      const results: TryEndResult[] = new Array<TryEndResult>(ends.length);
      order.forEach(({ i }, k) => (results[i] = ended[k] as TryEndResult));
      return { results, claimed };
    });
  } catch (error) {
    if (!(error instanceof StaleTry)) throw error;
    // One of them is not this worker's try any more: all that was written is rolled back, and
    // the ends go in turn (the stale one recording nothing).
    return inTurn();
  }
}

function endsLeaf(end: HandedEnd): boolean {
  const verdictKnown = end.state === 'success' || end.state === 'skipped';
  return verdictKnown && end.leaf === true && !end.outcome.follow && !end.outcome.shortCircuit;
}

class StaleTry extends Error {}

/**
 * Successes and skips whose verdicts need nothing read first: the locks, the tries' rows and the
 * claim's reads in one round trip, each statement seeing the ones before it (the locks held).
 */
async function endLeavesInTransaction(
  tx: DbSession,
  ends: readonly TryEnd[],
  now: number,
  next: NextClaim,
): Promise<{ ended: TryEndResult[]; claimed: ClaimedTask[] }> {
  const groups = ends.map((end): Statement[] => [
    lockStatement(tx, end),
    ...recordTryStatements(tx.dialect, end, now),
    {
      sql: 'UPDATE task_instances SET state = $1, ended_at = $2 WHERE id = $3',
      params: [end.state, now, end.tiId],
    },
    othersActiveStatement(end.tiId),
  ]);
  const read = await readClaim(tx, next.limit, now, next.scope, groups.flat());
  let at = 0;
  const written = groups.map((group) => {
    const rows = read.before.slice(at, (at += group.length));
    const ti = rows[0]?.[0] as LockedTry | undefined;
    if (!ti) throw new StaleTry();
    return { ti, othersActive: (rows[rows.length - 1]?.length ?? 0) > 0 };
  });
  const ended: TryEndResult[] = [];
  for (const [k, end] of ends.entries()) {
    const { ti, othersActive } = written[k] as { ti: LockedTry; othersActive: boolean };
    const state = end.state as 'success' | 'skipped';
    await recordChecks(tx, end);
    const downstream = JSON.parse(ti.downstream) as string[];
    const changed =
      downstream.length > 0
        ? await countEnds(tx, ti.run_pk, [{ state, downstream }], now)
        : { ready: [], skipped: [], upstreamFailed: [] };
    const mayHaveEnded = !othersActive || changed.upstreamFailed.length > 0 || changed.skipped.length > 0;
    const runState = mayHaveEnded ? await completeRunIfDone(tx, ti.run_pk, now) : undefined;
    ended.push(terminalResult(state, changed, runState));
  }
  return { ended, claimed: await writeClaim(tx, ends[0]?.worker ?? '', now, read) };
}

/**
 * Locks the try's task instance (a zombie sweep skips it) and its run (lockRun's order: the run,
 * then its tasks), if the try is still this worker's.
 */
function lockStatement(tx: DbSession, end: TryEnd): Statement {
  return {
    sql: `SELECT t.run_pk, t.task_id, t.retries, t.failures, t.retry_delay_ms, t.retry_exponential, t.max_retry_delay_ms,
       t.downstream, r.intervals
     FROM task_instances t JOIN dag_runs r ON r.id = t.run_pk
     WHERE t.id = $1 AND t.try_number = $2 AND t.worker = $3 AND t.state = 'running'
     ${tx.dialect === 'postgres' ? 'FOR NO KEY UPDATE OF r FOR UPDATE OF t' : ''}`,
    params: [end.tiId, end.tryNumber, end.worker],
  };
}

/**
 * Whether another task of the try's run is still to end, read under the run's lock (so no other
 * end is under way) after this task's own end.
 */
function othersActiveStatement(tiId: number): Statement {
  return {
    sql: `SELECT 1 AS active FROM task_instances
     WHERE run_pk = (SELECT run_pk FROM task_instances WHERE id = $1) AND state IN (${ACTIVE}) LIMIT 1`,
    params: [tiId],
  };
}

async function endInTransaction(
  tx: DbSession,
  end: TryEnd,
  now: number,
  next?: NextClaim,
): Promise<{ result: TryEndResult; claimed: ClaimedTask[] }> {
  // Whatever the end wrote, and then the claim: its reads after `before`, which they see.
  const claimAfter = async (before: readonly Statement[] = []) => {
    if (!next) return { before: before.length > 0 ? await tx.batch(before) : [], claimed: [] };
    const read = await readClaim(tx, next.limit, now, next.scope, before);
    return { before: read.before, claimed: await writeClaim(tx, end.worker, now, read) };
  };
  const [lockRows] = await tx.batch([lockStatement(tx, end)]);
  const ti = lockRows?.[0] as LockedTry | undefined;
  if (!ti) return { result: { state: 'stale' }, claimed: (await claimAfter()).claimed };
  const verdict = afterTry(
    tryEnding(end),
    {
      retries: retriesInRun(Number(ti.retries), Number(ti.intervals)),
      retryDelayMs: Number(ti.retry_delay_ms),
      retryExponentialBackoff: Boolean(Number(ti.retry_exponential)),
      maxRetryDelayMs: Number(ti.max_retry_delay_ms),
    },
    Number(ti.failures),
    now,
  );
  const tryRows = recordTryStatements(tx.dialect, end, now);
  await recordChecks(tx, end);
  switch (verdict.state) {
    case 'up_for_reschedule': {
      const { claimed } = await claimAfter([
        ...tryRows,
        {
          sql: "UPDATE task_instances SET state = 'up_for_reschedule', ready_at = $1, worker = NULL WHERE id = $2",
          params: [verdict.readyAt, end.tiId],
        },
      ]);
      return { result: { state: 'up_for_reschedule', readyAt: verdict.readyAt }, claimed };
    }
    case 'up_for_retry': {
      const { claimed } = await claimAfter([
        ...tryRows,
        {
          sql: "UPDATE task_instances SET state = 'up_for_retry', failures = $1, ready_at = $2, ended_at = $3 WHERE id = $4",
          params: [verdict.failures, verdict.retryAt, now, end.tiId],
        },
      ]);
      return { result: { state: 'up_for_retry', retryAt: verdict.retryAt }, claimed };
    }
    case 'success':
    case 'skipped':
    case 'failed': {
      const failures = verdict.state === 'failed' ? verdict.failures : Number(ti.failures);
      const ended: Statement[] = [
        ...tryRows,
        {
          sql: 'UPDATE task_instances SET state = $1, failures = $2, ended_at = $3 WHERE id = $4',
          params: [verdict.state, failures, now, end.tiId],
        },
        othersActiveStatement(end.tiId),
      ];
      const downstream = JSON.parse(ti.downstream) as string[];
      const chooses = verdict.state === 'success' && (end.outcome.follow || end.outcome.shortCircuit);
      // Nothing below it to count or skip: the claim's reads go with the end's rows.
      if (downstream.length === 0 && !chooses) {
        const read = next ? await readClaim(tx, next.limit, now, next.scope, ended) : undefined;
        const before = read?.before ?? (await tx.batch(ended));
        const othersActive = before[before.length - 1]?.length !== 0;
        const runState = othersActive ? undefined : await completeRunIfDone(tx, ti.run_pk, now);
        const claimed = read ? await writeClaim(tx, end.worker, now, read) : [];
        return {
          result: terminalResult(verdict.state, { ready: [], skipped: [], upstreamFailed: [] }, runState),
          claimed,
        };
      }
      const rows = await tx.batch(ended);
      const othersActive = rows[rows.length - 1]?.length !== 0;
      const skipped =
        verdict.state === 'success'
          ? await skipChosenOut(tx, ti.run_pk, ti.task_id, downstream, end, now)
          : [];
      const changed = await countEnds(tx, ti.run_pk, [{ state: verdict.state, downstream }, ...skipped], now);
      // The run can have ended only if nothing else was active, or this end ended tasks below it.
      const mayHaveEnded =
        !othersActive ||
        skipped.length > 0 ||
        changed.upstreamFailed.length > 0 ||
        changed.skipped.length > 0;
      const runState = mayHaveEnded ? await completeRunIfDone(tx, ti.run_pk, now) : undefined;
      const { claimed } = await claimAfter();
      return { result: terminalResult(verdict.state, changed, runState), claimed };
    }
  }
}

interface LockedTry {
  run_pk: number;
  task_id: string;
  retries: number;
  failures: number;
  retry_delay_ms: number;
  retry_exponential: number;
  max_retry_delay_ms: number;
  downstream: string;
  intervals: number;
}

function terminalResult(
  state: 'success' | 'skipped' | 'failed',
  changed: {
    readonly ready: readonly string[];
    readonly skipped: readonly string[];
    readonly upstreamFailed: readonly string[];
  },
  runState: RunState | undefined,
): TryEndResult {
  if (state === 'success') return { state, ready: changed.ready, runState };
  if (state === 'skipped') return { state, skipped: changed.skipped, runState };
  return { state, upstreamFailed: changed.upstreamFailed, runState };
}

function tryEnding(end: TryEnd): TryEnding {
  if (end.state === 'up_for_reschedule') return { rescheduleAt: end.rescheduleAt ?? 0 };
  return end.state === 'failed' && end.final ? 'final' : end.state;
}

/** What a branch did not follow, or everything below a short circuit, skipped at once. */
async function skipChosenOut(
  tx: DbSession,
  runPk: number,
  taskId: string,
  downstream: readonly string[],
  end: TryEnd,
  now: number,
): Promise<TaskEnd[]> {
  if (!end.outcome.follow && !end.outcome.shortCircuit) return [];
  const graph = end.outcome.shortCircuit
    ? await runGraph(tx, runPk)
    : graphFromDownstream([{ taskId, downstream }]);
  return skipTasks(tx, runPk, skippedBy(graph, taskId, end.outcome), now);
}
