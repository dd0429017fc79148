import { openMetadata } from '../../app/index.ts';
import { loadConfig } from '../../config/index.ts';
import { RUN_STATES, type RunState } from '../../lifecycle/index.ts';
import { listRuns } from '../../store/read/index.ts';
import { getDagRow } from '../../store/runs/index.ts';
import { parse, UsageError } from '../args.ts';
import { print, printTable, type CliIo } from '../io.ts';

export const help = `Usage: downbeat dags list-runs DAG_ID [--state STATE] [--limit N] [--range-runs] [--json]

Lists the DAG's runs, newest first (Airflow's command): every interval run that matches, each with
its run id, logical date, state, run type and, for an interval a range run covered, that range
run's id. A range run (one execution over several intervals of a backfill) is not an interval
run: --range-runs lists those instead.
  --state STATE   only runs in this state: ${RUN_STATES.join(', ')}
  --limit N       at most N runs (default: all of them)
  --range-runs    the DAG's range runs, with how many intervals each covers
  --json          one JSON array of {"run_id", "logical_date", "state", "run_type", "range_run_id"}
                  ({"run_id", "logical_date", "data_interval_end", "state", "intervals"} with
                  --range-runs)`;

export async function dagsListRuns(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    state: { type: 'string' },
    limit: { type: 'string' },
    'range-runs': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const [dagId, ...extra] = positionals;
  if (!dagId || extra.length > 0) throw new UsageError(`expected DAG_ID\n\n${help}`);
  const state = values.state;
  if (state !== undefined && !(RUN_STATES as readonly string[]).includes(state))
    throw new UsageError(`--state must be one of ${RUN_STATES.join(', ')}, got "${state}"`);
  const limit = values.limit === undefined ? Number.MAX_SAFE_INTEGER : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new UsageError(`--limit must be a whole number ≥ 1, got "${values.limit}"`);
  const db = await openMetadata(loadConfig(io.env));
  try {
    if (!(await getDagRow(db, dagId))) throw new UsageError(`no DAG "${dagId}" in the metadata DB`);
    const { runs } = await listRuns(db, dagId, {
      limit,
      offset: 0,
      rangeRuns: values['range-runs'] === true,
      ...(state === undefined ? {} : { states: [state as RunState] }),
    });
    const iso = (ms: number) => new Date(Number(ms)).toISOString();
    if (values['range-runs']) {
      const items = runs.map((r) => ({
        run_id: r.run_id,
        logical_date: iso(r.logical_date),
        data_interval_end: iso(r.interval_end),
        state: r.state,
        intervals: Number(r.intervals),
      }));
      if (values.json) print(io.stdout, JSON.stringify(items, null, 2));
      else
        table(
          io,
          ['RUN ID', 'LOGICAL DATE', 'END', 'STATE', 'INTERVALS'],
          items.map((i) => [i.run_id, i.logical_date, i.data_interval_end, i.state, String(i.intervals)]),
        );
      return 0;
    }
    const items = runs.map((r) => ({
      run_id: r.run_id,
      logical_date: iso(r.logical_date),
      state: r.state,
      run_type: r.run_type,
      range_run_id: r.range_run_id ?? null,
    }));
    if (values.json) print(io.stdout, JSON.stringify(items, null, 2));
    else
      table(
        io,
        ['RUN ID', 'LOGICAL DATE', 'STATE', 'TYPE', 'RANGE RUN'],
        items.map((i) => [i.run_id, i.logical_date, i.state, i.run_type, i.range_run_id ?? '']),
      );
    return 0;
  } finally {
    await db.close();
  }
}

function table(io: CliIo, header: readonly string[], rows: readonly (readonly string[])[]): void {
  if (rows.length === 0) print(io.stdout, '(no runs)');
  else printTable(io.stdout, [header, ...rows]);
}
