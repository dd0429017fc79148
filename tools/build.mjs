#!/usr/bin/env node
// `npm run build` (and `prepare`, on install): src/ → dist/ as JavaScript with type declarations
// (tsconfig.build.json), the metadata DB's migrations beside the code that reads them, and a stamp
// that bin/downbeat.js compares with src/ to rebuild a checkout whose sources changed.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;

rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(
  process.execPath,
  [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.build.json`],
  {
    stdio: 'inherit',
  },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
cpSync(`${root}src/store/db/migrations`, `${dist}/store/db/migrations`, { recursive: true });
writeFileSync(`${dist}/.built`, `${new Date().toISOString()}\n`);
