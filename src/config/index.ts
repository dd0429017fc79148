import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Settings every command shares, resolved once at start-up from the environment (DESIGN §8). */
export interface DownbeatConfig {
  /** State folder: warehouse, metadata DB, logs. From DOWNBEAT_HOME. @default './.downbeat' */
  readonly home: string;
  /** Where `*.dag.ts` files are found. From DOWNBEAT_DAGS_FOLDER. @default the repository's `pipelines/` */
  readonly dagsFolder: string;
  /** The metadata DB: a SQLite path or `postgres://…`. From DOWNBEAT_DATABASE_URL. @default `<home>/metadata.sqlite` */
  readonly databaseUrl: string | undefined;
  /** The environment, for connection variables (`DOWNBEAT_CONN_<ID>`). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

const REPOSITORY_PIPELINES = fileURLToPath(new URL('../../pipelines/', import.meta.url));

export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): DownbeatConfig {
  return {
    home: resolve(env.DOWNBEAT_HOME || '.downbeat'),
    dagsFolder: resolve(env.DOWNBEAT_DAGS_FOLDER || REPOSITORY_PIPELINES),
    databaseUrl: env.DOWNBEAT_DATABASE_URL || undefined,
    env,
  };
}
