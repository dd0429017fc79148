/**
 * The PostgreSQL server the tests make their databases on (DOWNBEAT_TEST_POSTGRES_URL, read by
 * src/util/testing.ts): one that answers already, else a throwaway cluster of the tests' own.
 */
import pg from 'pg';
import { startOwnCluster } from '../../src/store/db/own-cluster.ts';
import { onPostgresServer } from '../../src/util/testing.ts';
import { say } from './commands.ts';

/** The server src/util/testing.ts uses when DOWNBEAT_TEST_POSTGRES_URL is not set. */
const LOCAL_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface TestPostgres {
  readonly url: string;
  /** Stops the throwaway cluster, if the setup started one. */
  stop(): void;
}

/** A URL as printed: its password, if any, masked. */
function shown(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(a URL that does not parse)';
  }
}

/** Why a real connection to it fails, or undefined when it answers. */
async function unanswered(url: string): Promise<string | undefined> {
  // A server that is not there refuses at once; one behind a dropped port should not hold us long.
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function testPostgres(env: NodeJS.ProcessEnv): Promise<TestPostgres> {
  const candidates = new Set<string>();
  if (env.DOWNBEAT_TEST_POSTGRES_URL) candidates.add(env.DOWNBEAT_TEST_POSTGRES_URL);
  if (env.DOWNBEAT_TEST_IGNORE_LOCAL_POSTGRES === '1')
    say('not trying 127.0.0.1:5432 (DOWNBEAT_TEST_IGNORE_LOCAL_POSTGRES=1)');
  else candidates.add(LOCAL_URL);
  for (const url of candidates) {
    const why = await unanswered(url);
    if (why === undefined) {
      say(`PostgreSQL answers at ${shown(url)}`);
      return { url, stop: () => undefined };
    }
    say(`PostgreSQL does not answer at ${shown(url)} (${why})`);
  }

  say("starting a throwaway PostgreSQL cluster of the tests' own (initdb in a temporary folder) …");
  const cluster = startOwnCluster();
  const stop = () => {
    cluster.stop();
    say('stopped the throwaway PostgreSQL cluster');
  };
  try {
    await onPostgresServer((client) => client.query('CREATE DATABASE test'), cluster.url);
  } catch (error) {
    stop();
    throw error;
  }
  const url = new URL(cluster.url);
  url.pathname = '/test';
  say(`throwaway PostgreSQL cluster at ${url.toString()}, stopped when the tests end`);
  return { url: url.toString(), stop };
}
