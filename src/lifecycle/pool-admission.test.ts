import { describe, expect, it } from 'vitest';
import { admitToPools, fullPools, type PoolRoom } from './pool-admission.ts';

const pools = new Map<string, PoolRoom>([
  ['default_pool', { slots: 128, running: 0 }],
  ['warehouse', { slots: 2, running: 1 }],
]);

describe('admitToPools', () => {
  it('admits in order while each pool has slots open, letting a smaller one past a bigger one', () => {
    const candidates = [
      { id: 1, pool: 'warehouse', poolSlots: 1 },
      { id: 2, pool: 'warehouse', poolSlots: 1 },
      { id: 3, pool: 'default_pool', poolSlots: 1 },
    ];
    expect(admitToPools(candidates, pools)).toEqual([{ id: 1 }, { id: 3 }]);
    const big = [
      { id: 4, pool: 'warehouse', poolSlots: 2 },
      { id: 5, pool: 'warehouse', poolSlots: 1 },
    ];
    expect(admitToPools(big, pools)).toEqual([{ id: 5 }]);
  });

  it('claims a task whose pool does not exist or is too small, to fail it naming the pool', () => {
    const admitted = admitToPools(
      [
        { id: 1, pool: 'nope', poolSlots: 1 },
        { id: 2, pool: 'warehouse', poolSlots: 3 },
      ],
      pools,
    );
    expect(admitted).toEqual([
      {
        id: 1,
        problem: {
          code: 'pool_not_found',
          message:
            'pool "nope" does not exist (pools: default_pool, warehouse); create it with downbeat pools set nope SLOTS',
        },
      },
      {
        id: 2,
        problem: { code: 'pool_too_small', message: 'it needs 3 slots of pool "warehouse", which has 2' },
      },
    ]);
  });

  it('names the full pools', () => {
    expect(fullPools(new Map([...pools, ['one', { slots: 1, running: 1 }]]))).toEqual(['one']);
  });
});
