#!/usr/bin/env node
// The `downbeat` command runs the compiled CLI (dist/). In a checkout of Downbeat itself, where
// src/ is beside it, dist/ is built again first when a source changed since the last build, so
// that the command never runs stale code (one process builds; others started meanwhile wait).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const src = new URL('src/', root);

/** Whether a source under src/ (tests aside) is newer than dist/'s last build. */
function stale() {
  const built = statSync(new URL('dist/.built', root), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.endsWith('.test.ts')) continue;
    if (statSync(`${entry.parentPath}/${entry.name}`).mtimeMs > built) return true;
  }
  return false;
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

if (existsSync(src) && stale()) {
  const lock = new URL('.dist-building/', root);
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 180_000) throw new Error(`${lock.pathname} is held: remove it if no build is running`);
      sleep(200);
    }
  }
  try {
    if (stale()) {
      process.stderr.write('downbeat: src/ changed since the last build; building dist/ (npm run build)…\n');
      const build = spawnSync(process.execPath, [new URL('tools/build.mjs', root).pathname], {
        stdio: 'inherit',
      });
      if (build.status !== 0) process.exit(build.status ?? 1);
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
