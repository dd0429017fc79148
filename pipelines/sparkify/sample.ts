/**
 * Sparkify's sample for `downbeat standalone`'s first start: a generated November 2018 written into
 * the default `sparkify_source` location (never into a source the user configured), backfilled;
 * then a live feed of today's events, so that unpausing the DAG gives hourly runs that succeed.
 */
import type { CommandIo, ObjectStore, PipelineSample } from 'downbeat';

const START = new Date('2018-11-01T00:00:00Z');
const END = new Date('2018-12-01T00:00:00Z');

export const sparkifySample: PipelineSample = {
  dagId: 'sparkify_etl',
  connectionId: 'sparkify_source',
  async ensure(store: ObjectStore, io: CommandIo) {
    // The last day file is written last: when it is there, so is the rest.
    if (await store.stat('log_data/2018/11/2018-11-30-events.json')) return { start: START, end: END };
    io.stdout.write(`writing the Sparkify sample month into ${store.location} …\n`);
    const { generateSparkifyData } = await import('./generate/generate.ts');
    const summary = await generateSparkifyData(store, { start: START, end: END });
    io.stdout.write(`${summary.events} events, ${summary.songs} songs, ${summary.users} users written\n`);
    return { start: START, end: END };
  },
  /** Yesterday's and today's events up to now (UTC): the runs of the last hours find their day files. */
  async feed(store: ObjectStore, now: Date) {
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const { writeLiveDays } = await import('./generate/generate.ts');
    await writeLiveDays(store, { start: new Date(today - DAY), end: new Date(today + DAY) }, now);
  },
};

const DAY = 86_400_000;
