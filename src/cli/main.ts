import { loadConfig } from '../config/index.ts';
import { redact } from '../connections/index.ts';
import { DownbeatError, toError } from '../errors/index.ts';
import { loadPipelineCommands } from '../loader/index.ts';
import { UsageError } from './args.ts';
import { BUILT_IN, type Command } from './commands.ts';
import { print, type CliIo } from './io.ts';
function usage(listed: readonly Command[]): string {
  let commands = listed;
  const width = Math.max(...commands.map((c) => c.name.join(' ').length));
  commands = [...commands].sort((a, b) => a.name.join(' ').localeCompare(b.name.join(' ')));
  return [
    'Usage: downbeat COMMAND [ARGS] [--help]',
    '',
    'Downbeat, a data-pipeline orchestrator for TypeScript.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    'Environment: DOWNBEAT_HOME (state folder, default ./.downbeat), DOWNBEAT_DAGS_FOLDER (default ./dags',
    "when there is one, else Downbeat's own pipelines/), DOWNBEAT_CONN_<ID> (a connection as a URI, e.g. DOWNBEAT_CONN_WAREHOUSE=",
    'duckdb:///path/warehouse.duckdb).',
    'DOWNBEAT_DATABASE_URL (metadata DB: a SQLite path or postgres://…; default DOWNBEAT_HOME/metadata.sqlite),',
    'DOWNBEAT_HEARTBEAT_SECONDS (workers heartbeat running tries, default 5), DOWNBEAT_ZOMBIE_SECONDS (a try',
    'without a heartbeat this long is lost and runs again, default 60).',
    'DOWNBEAT_ADMIN_USER and DOWNBEAT_ADMIN_PASSWORD (the first web UI user), DOWNBEAT_SECRET_KEY (encrypts',
    'stored connections).',
    'DOWNBEAT_LOG_RETENTION (the scheduler deletes task logs older than this, e.g. 30d; default: kept forever),',
    'DOWNBEAT_METRICS_CACHE_SECONDS (/metrics counts ended runs and tasks over all history at most this often,',
    'default 30), DOWNBEAT_WAREHOUSE_QUERY_SECONDS (the warehouse explorer cancels a query past it, default 30).',
    'DOWNBEAT_SOURCES_CHECK_INTERVAL (the scheduler marks stale the runs whose source files changed, this often;',
    'default 1h, off: never).',
  ].join('\n');
}

/** The `downbeat` command. Resolves to the exit status: 0 success, 1 failure, 2 bad usage. */
export async function main(argv: readonly string[], io: CliIo = process): Promise<number> {
  let commands: readonly Command[] = BUILT_IN;
  try {
    const pipelines = await loadPipelineCommands(loadConfig(io.env).dagsFolder);
    for (const error of pipelines.errors)
      print(io.stderr, `warning: ${error.file} failed to load: ${error.message}`);
    commands = [
      ...BUILT_IN,
      ...pipelines.commands.map((c): Command => ({
        ...c,
        load: () => Promise.resolve({ help: c.help, run: (a, o) => c.run(a, o) }),
      })),
    ];

    const wantsHelp = argv.includes('--help') || argv.includes('-h');
    const command = commands.find((c) => c.name.every((word, i) => argv[i] === word));
    if (!command) {
      if (argv.length === 0 || (wantsHelp && !argv[0]?.match(/^[a-z]/))) {
        print(io.stdout, usage(commands));
        return 0;
      }
      if (wantsHelp && argv[0]) {
        const family = commands.filter((c) => c.name[0] === argv[0]);
        if (family.length > 0) {
          print(io.stdout, usage(family));
          return 0;
        }
      }
      throw new UsageError(
        `unknown command "${argv.filter((a) => !a.startsWith('-')).join(' ')}"\n\n${usage(commands)}`,
      );
    }
    const args = argv.slice(command.name.length);
    const loaded = await command.load();
    if (wantsHelp) {
      print(io.stdout, loaded.help);
      return 0;
    }
    return await loaded.run(args, io);
  } catch (thrown) {
    const error = toError(thrown);
    if (error instanceof UsageError) {
      print(io.stderr, redact(`downbeat: ${error.message}`));
      return 2;
    }
    print(
      io.stderr,
      redact(
        error instanceof DownbeatError
          ? `downbeat: ${error.message}`
          : `downbeat: unexpected error: ${error.stack ?? error.message}`,
      ),
    );
    return 1;
  }
}
