/**
 * Helpers for the staging tests and bench/hostile-sources.ts: tiny song files in Sparkify's
 * format, and the peak memory of a piece of work.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The key of tiny song file `i`, spread over folders as song_data is (song_data/A/B/C/…). */
export function tinySongKey(i: number): string {
  const id = i.toString(36).toUpperCase().padStart(6, '0');
  return `song_data/${id[5]}/${id[4]}/${id[3]}/TR${id}.json`;
}

/** One song record as Sparkify's song files hold it. */
export function tinySong(i: number): string {
  return JSON.stringify({
    num_songs: 1,
    artist_id: `AR${String(i % 997).padStart(5, '0')}`,
    artist_latitude: null,
    artist_longitude: null,
    artist_location: '',
    artist_name: `Artist ${i % 997}`,
    song_id: `SO${String(i).padStart(8, '0')}`,
    title: `Song ${i}`,
    duration: 100 + (i % 200) + 0.5,
    year: i % 3 === 0 ? 0 : 1990 + (i % 30),
  });
}

/** Writes `count` tiny song files under `folder`, straight to disk (a store's put is slower). */
export async function writeTinySongFiles(folder: string, count: number): Promise<void> {
  const made = new Set<string>();
  const BATCH = 500;
  for (let start = 0; start < count; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, count - start) }, (_, k) => start + k);
    await Promise.all(
      batch.map(async (i) => {
        const path = join(folder, tinySongKey(i));
        const dir = path.slice(0, path.lastIndexOf('/'));
        if (!made.has(dir)) {
          made.add(dir);
          await mkdir(dir, { recursive: true });
        }
        await writeFile(path, tinySong(i));
      }),
    );
  }
}

export interface MemoryPeak {
  /** Highest heapUsed + arrayBuffers seen, above where it started, in MiB (JavaScript's own memory). */
  readonly heapMb: number;
  /** Highest resident set size sampled, above where it started, in MiB (includes DuckDB's). */
  readonly rssMb: number;
  /** How much the process's peak RSS (getrusage) rose during the work, in MiB. */
  readonly maxRssRiseMb: number;
}

/** Runs the work while sampling memory every few milliseconds; its result and the peaks. */
export async function withPeakMemory<T>(work: () => Promise<T>): Promise<{ result: T; peak: MemoryPeak }> {
  const js = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const startJs = js();
  const startRss = process.memoryUsage.rss();
  const startMaxRss = process.resourceUsage().maxRSS;
  let peakJs = startJs;
  let peakRss = startRss;
  const sample = () => {
    peakJs = Math.max(peakJs, js());
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, 5);
  try {
    const result = await work();
    sample();
    const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
    return {
      result,
      peak: {
        heapMb: mb(peakJs - startJs),
        rssMb: mb(peakRss - startRss),
        maxRssRiseMb: mb((process.resourceUsage().maxRSS - startMaxRss) * 1024),
      },
    };
  } finally {
    clearInterval(timer);
  }
}
