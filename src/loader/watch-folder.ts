import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface FolderWatch {
  close(): void;
}

export interface WatchOptions {
  /** How often the folder is also compared with what it was (where file events are missed). @default 1000 */
  readonly pollMs?: number;
  /** Changes this close together are one. @default 100 */
  readonly settleMs?: number;
}

/** Every file below `folder` (packages and hidden folders aside) with its size and time, as one string. */
async function snapshot(folder: string): Promise<string> {
  const parts: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) {
        const s = await stat(path).catch(() => undefined);
        if (s) parts.push(`${path}:${s.size}:${s.mtimeMs}`);
      }
    }
  };
  await walk(folder);
  return parts.sort().join('\n');
}

/**
 * Calls `onChange` when a file below `folder` is changed, added or removed: told by the file
 * system (fs.watch) and, since its events can be missed (network folders, editors that replace
 * files), found by a comparison every `pollMs`. A change only counts when the folder's files differ.
 */
export async function watchFolder(
  folder: string,
  onChange: () => Promise<void>,
  options: WatchOptions = {},
): Promise<FolderWatch> {
  let last = await snapshot(folder);
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  let closed = false;
  const check = () => {
    // One comparison (and one onChange) at a time, in order.
    running = running.then(async () => {
      if (closed) return;
      const now = await snapshot(folder);
      if (now === last) return;
      last = now;
      await onChange().catch(() => undefined);
    });
  };
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(check, options.settleMs ?? 100);
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(folder, { recursive: true }, soon);
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = undefined; // no file events here: the comparison alone finds changes
  }
  const poll = setInterval(check, options.pollMs ?? 1000);
  poll.unref();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      clearInterval(poll);
      watcher?.close();
    },
  };
}
