/**
 * A PostgreSQL cluster of a test's own (initdb in a temp folder, its own port), for tests that
 * stop and restart the server: never the shared server other tests use. Needs PostgreSQL's server
 * binaries (Debian: /usr/lib/postgresql/<version>/bin); as root, the server runs as `postgres`.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OwnCluster {
  readonly url: string;
  restart(): void;
  stop(): void;
}

function binaries(): string {
  const root = '/usr/lib/postgresql';
  const version = existsSync(root) ? readdirSync(root).sort().at(-1) : undefined;
  if (!version)
    throw new Error(
      `PostgreSQL server binaries not found under ${root}: cannot start a cluster of the test's own`,
    );
  return join(root, version, 'bin');
}

export function startOwnCluster(): OwnCluster {
  const bin = binaries();
  const dir = mkdtempSync(join(tmpdir(), 'downbeat-pg-'));
  const asRoot = process.getuid?.() === 0;
  const postgresUid = asRoot
    ? Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    : undefined;
  const postgresGid = asRoot
    ? Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    : undefined;
  if (postgresUid !== undefined && postgresGid !== undefined) chownSync(dir, postgresUid, postgresGid);
  const run = (tool: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { stdio: 'pipe' })
      : execFileSync(join(bin, tool), args, { stdio: 'pipe' });
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  // Below Linux's ephemeral range (32768-60999), where any outgoing connection may hold a port
  // (one did: "Address already in use"); and if a port is taken all the same, another.
  let port = 0;
  const ctl = (...args: string[]) =>
    run('pg_ctl', [
      '-D',
      data,
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      '-l',
      join(dir, 'server.log'),
      '-w',
      ...args,
    ]);
  for (let attempt = 1; ; attempt += 1) {
    port = 20_000 + Math.floor(Math.random() * 12_000);
    try {
      ctl('start');
      break;
    } catch (error) {
      const log = readFileSync(join(dir, 'server.log'), 'utf8');
      if (attempt === 5 || !log.includes('Address already in use')) throw error;
    }
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: () => ctl('restart', '-m', 'fast'),
    stop() {
      try {
        ctl('stop', '-m', 'immediate');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
