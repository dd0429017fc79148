/**
 * Pools (Airflow's): a task instance takes `poolSlots` of its pool's slots while it runs, and is
 * claimed only while they are open, counted across every worker. A task whose pool does not
 * exist, or is smaller than it needs, could never run: it is claimed, to fail at once naming the
 * pool, rather than wait for ever.
 */

/** A ready task instance, in the order the queue would claim it. */
export interface PoolCandidate {
  readonly id: number;
  readonly pool: string;
  readonly poolSlots: number;
}

/** A pool's size and what its running task instances take of it now. */
export interface PoolRoom {
  readonly slots: number;
  readonly running: number;
}

/** Why a claimed task instance cannot run: it fails with this error. */
export interface PoolProblem {
  readonly code: 'pool_not_found' | 'pool_too_small';
  readonly message: string;
}

/**
 * The candidates to claim, in order, each with its pool's problem if it has one. `pools` has at
 * least the candidates' pools that exist; `known` names every pool, for the message.
 */
export function admitToPools(
  candidates: readonly PoolCandidate[],
  pools: ReadonlyMap<string, PoolRoom>,
  known: readonly string[] = [...pools.keys()],
): { readonly id: number; readonly problem?: PoolProblem }[] {
  const open = new Map([...pools].map(([name, room]) => [name, room.slots - room.running]));
  const admitted: { id: number; problem?: PoolProblem }[] = [];
  for (const candidate of candidates) {
    const room = pools.get(candidate.pool);
    if (!room) {
      admitted.push({
        id: candidate.id,
        problem: {
          code: 'pool_not_found',
          message: `pool "${candidate.pool}" does not exist (pools: ${[...known].sort().join(', ')}); create it with downbeat pools set ${candidate.pool} SLOTS`,
        },
      });
    } else if (candidate.poolSlots > room.slots) {
      admitted.push({
        id: candidate.id,
        problem: {
          code: 'pool_too_small',
          message: `it needs ${candidate.poolSlots} slots of pool "${candidate.pool}", which has ${room.slots}`,
        },
      });
    } else {
      const left = open.get(candidate.pool) ?? 0;
      if (candidate.poolSlots > left) continue; // waits for its pool: a later, smaller one may fit
      open.set(candidate.pool, left - candidate.poolSlots);
      admitted.push({ id: candidate.id });
    }
  }
  return admitted;
}

/** The pools with no slot open: the queue does not look at their tasks. */
export function fullPools(pools: ReadonlyMap<string, PoolRoom>): string[] {
  return [...pools].filter(([, room]) => room.running >= room.slots).map(([name]) => name);
}
