import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { durationMs } from '../dag/index.ts';
import { ConfigError } from '../errors/index.ts';

/** Settings every command shares, resolved once at start-up from the environment (DESIGN §8). */
export interface DownbeatConfig {
  /** State folder: warehouse, metadata DB, logs. From DOWNBEAT_HOME. @default './.downbeat' */
  readonly home: string;
  /**
   * Where `*.dag.ts` files are found. From DOWNBEAT_DAGS_FOLDER. @default `./dags` when the current
   * folder has one, else the repository's `pipelines/`
   */
  readonly dagsFolder: string;
  /** The metadata DB: a SQLite path or `postgres://…`. From DOWNBEAT_DATABASE_URL. @default `<home>/metadata.sqlite` */
  readonly databaseUrl: string | undefined;
  /** How often a worker heartbeats its running tries. From DOWNBEAT_HEARTBEAT_SECONDS. @default 5 */
  readonly heartbeatMs: number;
  /** A try without a heartbeat for this long is lost and runs again. From DOWNBEAT_ZOMBIE_SECONDS. @default 60 */
  readonly zombieAfterMs: number;
  /**
   * /metrics counts ended runs and tasks and sums try durations over all history at most this
   * often; 0 at every scrape.
   * From DOWNBEAT_METRICS_CACHE_SECONDS. @default 30
   */
  readonly metricsCacheMs?: number;
  /**
   * The scheduler deletes the log lines of tries that ended longer ago than this (runs, tries and
   * check results stay). From DOWNBEAT_LOG_RETENTION (`30d`, `12h`); `--log-retention` wins.
   * @default undefined: logs are kept forever
   */
  readonly logRetentionMs?: number;
  /**
   * The warehouse explorer cancels a query that runs longer. From DOWNBEAT_WAREHOUSE_QUERY_SECONDS.
   * @default 30
   */
  readonly warehouseQueryTimeoutMs?: number;
  /**
   * How often the scheduler sweeps the sources for objects that finished runs read and that have
   * changed since (marking those runs stale). From DOWNBEAT_SOURCES_CHECK_INTERVAL (`1h`, `30m`; at
   * least 1m; `off`: never). @default 3600000 (an hour)
   */
  readonly sourcesCheckEveryMs?: number;
  /** The environment, for connection variables (`DOWNBEAT_CONN_<ID>`). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

const REPOSITORY_PIPELINES = fileURLToPath(new URL('../../pipelines/', import.meta.url));

export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): DownbeatConfig {
  return {
    home: resolve(env.DOWNBEAT_HOME || '.downbeat'),
    dagsFolder: resolve(env.DOWNBEAT_DAGS_FOLDER || defaultDagsFolder()),
    databaseUrl: env.DOWNBEAT_DATABASE_URL || undefined,
    heartbeatMs: seconds(env, 'DOWNBEAT_HEARTBEAT_SECONDS', 5) * 1000,
    zombieAfterMs: seconds(env, 'DOWNBEAT_ZOMBIE_SECONDS', 60) * 1000,
    metricsCacheMs: seconds(env, 'DOWNBEAT_METRICS_CACHE_SECONDS', 30, { zero: true }) * 1000,
    logRetentionMs: retention(env.DOWNBEAT_LOG_RETENTION, 'DOWNBEAT_LOG_RETENTION'),
    warehouseQueryTimeoutMs: seconds(env, 'DOWNBEAT_WAREHOUSE_QUERY_SECONDS', 30) * 1000,
    sourcesCheckEveryMs: sourcesCheckInterval(env.DOWNBEAT_SOURCES_CHECK_INTERVAL),
    env,
  };
}

/** `./dags` when the current folder has one (a project `downbeat init` made), else the repository's pipelines. */
function defaultDagsFolder(): string {
  const own = resolve('dags');
  return existsSync(own) ? own : REPOSITORY_PIPELINES;
}

function seconds(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  options: { zero?: boolean } = {},
): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !options.zero))
    throw new ConfigError(
      `${name} must be a number of seconds ${options.zero ? '≥ 0' : '> 0'}, got "${text}"`,
    );
  return value;
}

/** DOWNBEAT_SOURCES_CHECK_INTERVAL: a duration of at least a minute, `off` (undefined), or an hour. */
function sourcesCheckInterval(text: string | undefined): number | undefined {
  const name = 'DOWNBEAT_SOURCES_CHECK_INTERVAL';
  if (text === undefined || text.trim() === '') return 3_600_000;
  if (text.trim() === 'off') return undefined;
  let ms: number;
  try {
    ms = durationMs(text);
  } catch {
    throw new ConfigError(`${name} must be a duration such as 1h or 30m (or off), got "${text}"`);
  }
  if (ms < 60_000) throw new ConfigError(`${name} must be at least 1m, got "${text}"`);
  return ms;
}

/**
 * A log retention (`30d`, `12h`, `90m`; `off` or empty: none) from the environment or a flag named
 * `source`; at least an hour, so that a typo in units never empties the logs of the day.
 */
export function retention(text: string | undefined, source: string): number | undefined {
  if (text === undefined || text.trim() === '' || text.trim() === 'off') return undefined;
  let ms: number;
  try {
    ms = durationMs(text);
  } catch {
    throw new ConfigError(`${source} must be a duration such as 30d or 12h (or off), got "${text}"`);
  }
  if (ms < 3_600_000) throw new ConfigError(`${source} must be at least 1h, got "${text}"`);
  return ms;
}
