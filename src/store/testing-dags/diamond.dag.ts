// The DAG the store's tests use in child processes: a → (b, c) → d.
import { dag } from '../../dag/index.ts';
import { noop } from '../../operators/index.ts';

export default dag(
  {
    id: 'diamond',
    schedule: '@hourly',
    startDate: '2018-11-01',
    maxActiveRuns: 2,
    defaultArgs: { retries: 2, retryDelay: '1m' },
  },
  (d) =>
    d.chain(
      d.task('a', noop()),
      [d.task('b', noop()), d.task('c', noop(), { retries: 0 })],
      d.task('d', noop()),
    ),
);
