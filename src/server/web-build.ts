import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The repository's web/ folder, and its build output. */
export const WEB_FOLDER = new URL('../../web/', import.meta.url).pathname;
export const WEB_DIST = join(WEB_FOLDER, 'dist');

async function newest(folder: string): Promise<number> {
  let latest = 0;
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
  }
  return latest;
}

/**
 * Builds the web UI when its build is missing or older than its sources (what `npm start` does,
 * so a newcomer never runs a separate build). Returns the build folder.
 */
export async function ensureWebBuild(print: (line: string) => void): Promise<string> {
  const index = join(WEB_DIST, 'index.html');
  const built = await stat(index).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  const sources = Math.max(
    await newest(join(WEB_FOLDER, 'src')),
    (await stat(join(WEB_FOLDER, 'index.html'))).mtimeMs,
  );
  if (built >= sources) return WEB_DIST;
  print('building the web UI (web/ → web/dist)…');
  const started = Date.now();
  const { build } = await import('vite');
  await build({ configFile: join(WEB_FOLDER, 'vite.config.ts'), logLevel: 'warn' });
  print(`web UI built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return WEB_DIST;
}
