import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { ErrorBanner, Loading } from '../components/error-banner.tsx';
import { useMay } from '../lib/session.tsx';
import { useChange } from '../lib/use-change.ts';
import { keys } from '../lib/queries.ts';
import { usePoll } from '../lib/use-poll.ts';
import { useTitle } from '../lib/use-title.ts';

/** Pools: each one's slots and what its tasks take of them now; set a pool's slots, delete one. */
export function PoolsView() {
  useTitle('Pools');
  const mayOperate = useMay('op');
  const pools = usePoll(keys.pools, (signal) => api.pools(signal), 3000);
  const [name, setName] = useState('');
  const [slots, setSlots] = useState('1');
  const { run, error, busy } = useChange(keys.pools);
  const set = async (event: FormEvent) => {
    event.preventDefault();
    const pool = name.trim();
    const exists = pools.data?.items.some((p) => p.name === pool) ?? false;
    const count = Number(slots);
    const saved = await run(() =>
      exists ? api.setPoolSlots(pool, count) : api.addPool({ name: pool, slots: count }),
    );
    if (saved) setName('');
  };

  return (
    <main>
      <h1>Pools</h1>
      <p className="muted">
        At most a pool&apos;s slots of its tasks run at once, across every worker. A task names its pool with
        the setting <code>pool</code>; one that names none is in default_pool.
      </p>
      {mayOperate && (
        <form
          className="card form-grid"
          onSubmit={(event) => void set(event)}
          aria-labelledby="set-pool"
          data-testid="pool-form"
        >
          <h2 id="set-pool">Set a pool</h2>
          <label>
            Name
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              autoComplete="off"
              data-testid="pool-name"
            />
          </label>
          <label>
            Slots
            <input
              type="number"
              min={0}
              step={1}
              value={slots}
              onChange={(e) => setSlots(e.target.value)}
              required
              data-testid="pool-slots"
            />
          </label>
          <div className="row full">
            <button type="submit" disabled={busy} data-testid="pool-set">
              Set pool
            </button>
          </div>
          <div className="full">
            <ErrorBanner message={error} />
          </div>
        </form>
      )}
      <ErrorBanner message={pools.error} />
      {pools.data === undefined ? (
        !pools.error && <Loading />
      ) : (
        <div className="table-scroll">
          <table data-testid="pools-table">
            <thead>
              <tr>
                <th scope="col">Pool</th>
                <th scope="col">Slots</th>
                <th scope="col">Running</th>
                <th scope="col">Queued</th>
                <th scope="col">Open</th>
                <th scope="col">Description</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {pools.data.items.map((pool) => (
                <tr key={pool.name} data-testid="pool-row" data-pool={pool.name}>
                  <th scope="row" className="mono">
                    {pool.name}
                  </th>
                  <td>{pool.slots}</td>
                  <td data-testid="pool-running">{pool.running_slots}</td>
                  <td>{pool.queued_slots}</td>
                  <td>{pool.open_slots}</td>
                  <td>{pool.description}</td>
                  <td>
                    {!mayOperate ? null : pool.name === 'default_pool' ? (
                      <span className="muted small">always there</span>
                    ) : (
                      <button
                        type="button"
                        className="danger"
                        disabled={busy}
                        onClick={() => void run(() => api.deletePool(pool.name))}
                        aria-label={`Delete ${pool.name}`}
                        data-testid="pool-delete"
                      >
                        Delete
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}
