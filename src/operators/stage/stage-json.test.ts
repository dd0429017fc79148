import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../clock/index.ts';
import { TaskFailure } from '../../dag/index.ts';
import { testEnvironment, type TestEnvironment } from '../../executor/testing.ts';
import type { StageJsonOptions } from './stage-json-options.ts';
import { stageJson } from './stage-json.ts';

let env: TestEnvironment;
beforeEach(async () => {
  env = await testEnvironment();
  const wh = await env.connections.warehouse('warehouse');
  await wh.execute('CREATE TABLE events (ts BIGINT, n INTEGER, _source_key VARCHAR, _source_line BIGINT)');
  await wh.execute(
    'CREATE TABLE songs (song_id VARCHAR, title VARCHAR, _source_key VARCHAR, _source_line BIGINT)',
  );
});
afterEach(async () => env.close());

const eventsStage = (extra: Partial<StageJsonOptions> = {}) =>
  stageJson({
    source: 'source',
    table: 'events',
    objects: { every: 'day', key: 'log/{{ ds }}.json' },
    framing: 'ndjson',
    columns: [
      { name: 'ts', type: 'bigint', required: true },
      { name: 'n', type: 'integer' },
    ],
    ...extra,
  });

const songsOptions: StageJsonOptions = {
  source: 'source',
  table: 'songs',
  objects: { prefix: 'songs/' },
  framing: 'json',
  columns: [
    { name: 'song_id', type: 'text', required: true },
    { name: 'title', type: 'text' },
  ],
};
const songsStage = stageJson(songsOptions);

const lines = (...records: object[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
const count = async (sql: string) => (await (await env.connections.warehouse('warehouse')).query(sql))[0]?.n;

describe('stageJson, interval objects', () => {
  it('stages the day object once per version, and pins the run to it', async () => {
    const store = await env.connections.objectStore('source');
    await store.put('log/2018-11-15.json', lines({ ts: 1, n: 1 }, { ts: 2, n: 2 }));
    const first = await eventsStage().execute(env.context('stage', '2018-11-15T10:00:00Z'));
    expect(first.rowsWritten).toEqual({ events: 2 });
    const again = await eventsStage().execute(env.context('stage', '2018-11-15T11:00:00Z'));
    expect(again.rowsWritten).toEqual({ events: 0 });
    expect(again.summary).toMatch(/2 row\(s\) staged \(already staged\)/);
    expect(
      await count("SELECT COUNT(*) AS n FROM _downbeat_run_objects WHERE object_key = 'log/2018-11-15.json'"),
    ).toBe(2);

    await store.put('log/2018-11-15.json', lines({ ts: 1, n: 1 }, { ts: 2, n: 2 }, { ts: 3, n: 3 }));
    const changed = await eventsStage().execute(env.context('stage', '2018-11-15T12:00:00Z'));
    expect(changed.rowsWritten).toEqual({ events: 3 });
    expect(await count('SELECT COUNT(*) AS n FROM events')).toBe(3);
  });

  it('fails with the key it looked for when the day object is missing; an empty object is an empty day', async () => {
    const error = await eventsStage()
      .execute(env.context('stage', '2018-11-16T10:00:00Z'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailure);
    expect((error as TaskFailure).code).toBe('source_missing');
    expect((error as Error).message).toMatch(/^log\/2018-11-16\.json not found in file:\/\//);
    const store = await env.connections.objectStore('source');
    await store.put('log/2018-11-16.json', '');
    expect((await eventsStage().execute(env.context('stage', '2018-11-16T10:00:00Z'))).rowsWritten).toEqual({
      events: 0,
    });
  });

  it('with waitForObjects, reschedules while the day object is missing in a scheduled run, not in a backfill', async () => {
    const waiting = eventsStage({ waitForObjects: { pokeInterval: '2m', timeout: '1h' } });
    const context = env.context('stage', '2018-11-17T10:00:00Z');
    const scheduled = {
      ...context,
      runType: 'scheduled' as const,
      now: () => new Date(context.firstTryStartedAt),
    };
    const outcome = await waiting.execute(scheduled);
    expect(outcome.reschedule).toEqual(new Date(context.firstTryStartedAt.getTime() + 120_000));
    expect(outcome.summary).toBe(
      `waiting for log/2018-11-17.json in ${(await env.connections.objectStore('source')).location}`,
    );
    // Past its timeout it fails, with no retry.
    const late = { ...scheduled, now: () => new Date(context.firstTryStartedAt.getTime() + 3_600_000) };
    await expect(waiting.execute(late)).rejects.toMatchObject({ code: 'sensor_timeout', final: true });
    // A backfill of a day with no file fails at once, naming the key.
    await expect(waiting.execute({ ...context, runType: 'backfill' })).rejects.toMatchObject({
      code: 'source_missing',
    });
    const store = await env.connections.objectStore('source');
    await store.put('log/2018-11-17.json', lines({ ts: 1, n: 1 }));
    expect((await waiting.execute(scheduled)).rowsWritten).toEqual({ events: 1 });
    expect(() => stageJson({ ...songsOptions, waitForObjects: {} })).toThrow(
      /a catalog \(prefix songs\/\) has none to wait for/,
    );
  });

  it('names each rejected record as KEY:LINE: reason and fails past the reject limit', async () => {
    const store = await env.connections.objectStore('source');
    await store.put(
      'log/2018-11-17.json',
      `${lines({ ts: 1, n: 1 })}{"ts": 2, "n": "abc"}\n{"ts": 3, "n"\n${lines({ ts: 4, n: 4 })}`,
    );
    const error = await eventsStage()
      .execute(env.context('stage', '2018-11-17T00:00:00Z'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailure);
    expect((error as Error).message).toContain(
      '2 source record(s) could not be loaded into events (reject limit 0)',
    );
    expect((error as Error).message).toContain(
      'log/2018-11-17.json:2: n: expected a whole number, got "abc"',
    );
    expect((error as Error).message).toMatch(/log\/2018-11-17\.json:3: not valid JSON/);
    // Parsed once: a second run fails the same way without reading the object again.
    await expect(eventsStage().execute(env.context('stage', '2018-11-17T01:00:00Z'))).rejects.toThrow(
      /2 source record/,
    );
    const tolerant = await eventsStage({ rejectLimit: 2 }).execute(
      env.context('stage', '2018-11-17T02:00:00Z'),
    );
    expect(tolerant.summary).toMatch(/2 row\(s\) staged .*2 rejected/);
    expect(await count("SELECT COUNT(*) AS n FROM _downbeat_rejects WHERE table_name = 'events'")).toBe(2);
  });

  it('stages a day object once when many runs of that day start together', async () => {
    const store = await env.connections.objectStore('source');
    await store.put(
      'log/2018-11-18.json',
      lines(...Array.from({ length: 500 }, (_, i) => ({ ts: i, n: i }))),
    );
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, hour) =>
        eventsStage().execute(env.context('stage', `2018-11-18T0${hour}:00:00Z`)),
      ),
    );
    expect(results.reduce((sum, r) => sum + (r.rowsWritten?.events ?? 0), 0)).toBe(500);
    expect(await count('SELECT COUNT(*) AS n FROM events')).toBe(500);
  });
});

describe('stageJson, catalog objects', () => {
  it('stages new and changed objects, skips unchanged ones, forgets removed ones', async () => {
    const store = await env.connections.objectStore('source');
    await store.put('songs/A/1.json', '{\n  "song_id": "S1",\n  "title": "One"\n}\n');
    await store.put('songs/A/2.json', '{"song_id":"S2","title":"Two"}\n{"song_id":"S3","title":"Three"}');
    expect((await songsStage.execute(env.context('songs', '2018-11-15T10:00:00Z'))).rowsWritten).toEqual({
      songs: 3,
    });
    expect((await songsStage.execute(env.context('songs', '2018-11-15T11:00:00Z'))).rowsWritten).toEqual({
      songs: 0,
    });
    await store.put('songs/B/4.json', '{"song_id":"S4","title":"Four"}');
    await store.put('songs/A/1.json', '{"song_id":"S1","title":"One, again"}');
    expect((await songsStage.execute(env.context('songs', '2018-11-15T12:00:00Z'))).rowsWritten).toEqual({
      songs: 2,
    });
    const wh = await env.connections.warehouse('warehouse');
    expect(await wh.query('SELECT song_id, title FROM songs ORDER BY song_id')).toEqual([
      { song_id: 'S1', title: 'One, again' },
      { song_id: 'S2', title: 'Two' },
      { song_id: 'S3', title: 'Three' },
      { song_id: 'S4', title: 'Four' },
    ]);
    const { rm } = await import('node:fs/promises');
    await rm(`${env.sourceFolder}/songs/A/2.json`);
    await songsStage.execute(env.context('songs', '2018-11-15T13:00:00Z'));
    expect(await count('SELECT COUNT(*) AS n FROM songs')).toBe(2);
  });

  it('compares a catalog larger than a batch a batch at a time, and leaves other prefixes alone', async () => {
    const store = await env.connections.objectStore('source');
    const stage = (prefix: string) =>
      stageJson({
        source: 'source',
        table: 'songs',
        objects: { prefix },
        framing: 'json',
        columns: [{ name: 'song_id', type: 'text', required: true }],
        batchSize: 2,
      });
    for (let i = 0; i < 7; i += 1) await store.put(`songs/${i}.json`, JSON.stringify({ song_id: `S${i}` }));
    // Another catalog whose prefix starts the same way (and has LIKE's wildcard in it).
    await store.put('songs_x/1.json', JSON.stringify({ song_id: 'X1' }));
    await stage('songs_x/').execute(env.context('songs', '2018-11-15T09:00:00Z'));
    const first = await stage('songs/').execute(env.context('songs', '2018-11-15T10:00:00Z'));
    expect(first.summary).toBe('7 object(s), 7 row(s) staged, 7 now');

    // A change in the fourth batch, a new object, and two removed: one from the first batch, one from the last.
    await store.put('songs/6.json', JSON.stringify({ song_id: 'S6b' }));
    await store.put('songs/7.json', JSON.stringify({ song_id: 'S7' }));
    const { rm } = await import('node:fs/promises');
    await rm(`${env.sourceFolder}/songs/0.json`);
    await rm(`${env.sourceFolder}/songs/5.json`);
    const second = await stage('songs/').execute(env.context('songs', '2018-11-15T11:00:00Z'));
    expect(second.summary).toBe('6 object(s), 6 row(s) staged, 2 now');
    const wh = await env.connections.warehouse('warehouse');
    expect((await wh.query('SELECT song_id FROM songs ORDER BY song_id')).map((r) => r.song_id)).toEqual([
      'S1',
      'S2',
      'S3',
      'S4',
      'S6b',
      'S7',
      'X1',
    ]);
    expect((await stage('songs/').execute(env.context('songs', '2018-11-15T12:00:00Z'))).rowsWritten).toEqual(
      { songs: 0 },
    );
  });

  it("trusts its last listing for relistAfter on the engine's clock, then lists the catalog again", async () => {
    const store = await env.connections.objectStore('source');
    const clock = new FakeClock('2018-11-15T10:00:00Z');
    const stage = stageJson({
      source: 'source',
      table: 'songs',
      objects: { prefix: 'songs/' },
      framing: 'json',
      columns: [{ name: 'song_id', type: 'text', required: true }],
      relistAfter: '1m',
    });
    const at = (start: string) => ({ ...env.context('songs', start), now: () => new Date(clock.now()) });
    await store.put('songs/1.json', JSON.stringify({ song_id: 'S1' }));
    expect((await stage.execute(at('2018-11-15T10:00:00Z'))).rowsWritten).toEqual({
      songs: 1,
    });
    await store.put('songs/2.json', JSON.stringify({ song_id: 'S2' }));
    clock.advance(59_999);
    expect((await stage.execute(at('2018-11-15T11:00:00Z'))).rowsWritten).toEqual({
      songs: 0,
    });
    clock.advance(1);
    expect((await stage.execute(at('2018-11-15T12:00:00Z'))).rowsWritten).toEqual({
      songs: 1,
    });
  });

  it('lets concurrent runs wait for a staging in progress instead of repeating it', async () => {
    const store = await env.connections.objectStore('source');
    for (let i = 0; i < 300; i += 1)
      await store.put(`songs/${i % 3}/${i}.json`, JSON.stringify({ song_id: `S${i}`, title: `T${i}` }));
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, h) =>
        songsStage.execute(env.context('songs', `2018-11-15T0${h}:00:00Z`)),
      ),
    );
    expect(results.map((r) => r.rowsWritten?.songs).sort()).toEqual([0, 0, 0, 300]);
  });
});
