import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors/index.ts';

/** Settings every command shares, resolved once at start-up from the environment (DESIGN §8). */
export interface DownbeatConfig {
  /** State folder: warehouse, metadata DB, logs. From DOWNBEAT_HOME. @default './.downbeat' */
  readonly home: string;
  /** Where `*.dag.ts` files are found. From DOWNBEAT_DAGS_FOLDER. @default the repository's `pipelines/` */
  readonly dagsFolder: string;
  /** The metadata DB: a SQLite path or `postgres://…`. From DOWNBEAT_DATABASE_URL. @default `<home>/metadata.sqlite` */
  readonly databaseUrl: string | undefined;
  /** How often a worker heartbeats its running tries. From DOWNBEAT_HEARTBEAT_SECONDS. @default 5 */
  readonly heartbeatMs: number;
  /** A try without a heartbeat for this long is lost and runs again. From DOWNBEAT_ZOMBIE_SECONDS. @default 60 */
  readonly zombieAfterMs: number;
  /** The environment, for connection variables (`DOWNBEAT_CONN_<ID>`). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

const REPOSITORY_PIPELINES = fileURLToPath(new URL('../../pipelines/', import.meta.url));

export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): DownbeatConfig {
  return {
    home: resolve(env.DOWNBEAT_HOME || '.downbeat'),
    dagsFolder: resolve(env.DOWNBEAT_DAGS_FOLDER || REPOSITORY_PIPELINES),
    databaseUrl: env.DOWNBEAT_DATABASE_URL || undefined,
    heartbeatMs: seconds(env, 'DOWNBEAT_HEARTBEAT_SECONDS', 5) * 1000,
    zombieAfterMs: seconds(env, 'DOWNBEAT_ZOMBIE_SECONDS', 60) * 1000,
    env,
  };
}

function seconds(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new ConfigError(`${name} must be a number of seconds > 0, got "${text}"`);
  return value;
}
