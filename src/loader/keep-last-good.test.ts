import { describe, expect, it } from 'vitest';
import { dag, type Dag, type Operator } from '../dag/index.ts';
import { folderChanges, keepLastGood } from './keep-last-good.ts';
import type { DagFolder } from './load-dag-folder.ts';

const op: Operator = { kind: 'noop', describe: () => ({}), execute: () => Promise.resolve({}) };
const make = (id: string, tasks = ['t']) =>
  dag({ id, schedule: null, startDate: '2018-11-01' }, (d) => tasks.forEach((t) => d.task(t, op)));
const folder = (entries: [Dag, string][], errors: { file: string; message: string }[] = []): DagFolder => ({
  dags: new Map(entries.map(([d]) => [d.id, d])),
  files: new Map(entries.map(([d, f]) => [d.id, f])),
  errors,
});

describe('keepLastGood', () => {
  const a = make('a');
  const b = make('b');
  const before = folder([
    [a, 'a.dag.ts'],
    [b, 'b.dag.ts'],
  ]);

  it("keeps a failing file's last good DAGs, with its error", () => {
    const next = keepLastGood(before, folder([[a, 'a.dag.ts']], [{ file: 'b.dag.ts', message: 'boom' }]));
    expect([...next.dags.keys()]).toEqual(['a', 'b']);
    expect(next.files.get('b')).toBe('b.dag.ts');
    expect(next.errors).toEqual([{ file: 'b.dag.ts', message: 'boom' }]);
  });

  it('lets a removed file take its DAGs with it', () => {
    expect([...keepLastGood(before, folder([[a, 'a.dag.ts']])).dags.keys()]).toEqual(['a']);
  });

  it('keeps no old DAG that another file now defines', () => {
    const moved = make('b', ['other']);
    const next = keepLastGood(
      before,
      folder(
        [
          [a, 'a.dag.ts'],
          [moved, 'c.dag.ts'],
        ],
        [{ file: 'b.dag.ts', message: 'boom' }],
      ),
    );
    expect(next.dags.get('b')).toBe(moved);
    expect(next.files.get('b')).toBe('c.dag.ts');
  });
});

describe('folderChanges', () => {
  it('names the DAGs added, changed (another version) and removed', () => {
    const version = (d: Dag) => [...d.tasks.keys()].join(',');
    const before = folder([
      [make('same'), 'x.dag.ts'],
      [make('edited'), 'x.dag.ts'],
      [make('gone'), 'x.dag.ts'],
    ]);
    const after = folder([
      [make('same'), 'x.dag.ts'],
      [make('edited', ['t', 'u']), 'x.dag.ts'],
      [make('new'), 'x.dag.ts'],
    ]);
    expect(folderChanges(before, after, version)).toEqual({
      added: ['new'],
      changed: ['edited'],
      removed: ['gone'],
    });
  });
});
