import { loadConfig } from '../config/index.ts';
import { redact } from '../connections/index.ts';
import { DownbeatError, toError } from '../errors/index.ts';
import { loadPipelineCommands } from '../loader/index.ts';
import { UsageError } from './args.ts';
import { print, type CliIo } from './context.ts';
import { dagsList, help as dagsListHelp } from './commands/dags-list.ts';
import { dagsTest, dagsTestHelp, tasksTest, tasksTestHelp } from './commands/test-run.ts';
import { dagsBackfill, help as backfillHelp } from './commands/backfill.ts';
import { dagsPause, dagsTrigger, pauseHelp, triggerHelp } from './commands/dags-control.ts';
import { dbMigrate, help as migrateHelp } from './commands/db-migrate.ts';
import { dbClean, help as cleanHelp } from './commands/db-clean.ts';
import { schedulerCommand, schedulerHelp, workerCommand, workerHelp } from './commands/serve.ts';
import { help as standaloneHelp, standalone } from './commands/standalone.ts';
import { help as webserverHelp, webserver } from './commands/webserver.ts';
import { help as clearHelp, tasksClear } from './commands/tasks-clear.ts';
import {
  connectionsAdd,
  connectionsDelete,
  connectionsList,
  help as connectionsHelp,
} from './commands/connections.ts';
import {
  help as variablesHelp,
  variablesDelete,
  variablesGet,
  variablesList,
  variablesSet,
} from './commands/variables.ts';

interface Command {
  readonly name: readonly string[];
  readonly summary: string;
  readonly help: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}

const BUILT_IN: readonly Command[] = [
  {
    name: ['standalone'],
    summary: 'scheduler, workers and web server in one process (embedded mode)',
    help: standaloneHelp,
    run: standalone,
  },
  { name: ['scheduler'], summary: 'run the scheduler', help: schedulerHelp, run: schedulerCommand },
  {
    name: ['webserver'],
    summary: 'serve the web UI, REST API and /metrics',
    help: webserverHelp,
    run: webserver,
  },
  {
    name: ['worker'],
    summary: 'run tasks from the queue (distributed mode)',
    help: workerHelp,
    run: workerCommand,
  },
  { name: ['db', 'migrate'], summary: 'apply the metadata DB migrations', help: migrateHelp, run: dbMigrate },
  {
    name: ['db', 'clean'],
    summary: 'delete old task logs (and with --runs old finished runs)',
    help: cleanHelp,
    run: dbClean,
  },
  { name: ['dags', 'trigger'], summary: 'create a manual run', help: triggerHelp, run: dagsTrigger },
  { name: ['dags', 'pause'], summary: 'stop scheduling a DAG', help: pauseHelp, run: dagsPause(true) },
  { name: ['dags', 'unpause'], summary: 'schedule a DAG again', help: pauseHelp, run: dagsPause(false) },
  {
    name: ['dags', 'backfill'],
    summary: 'run a DAG for a past range of intervals',
    help: backfillHelp,
    run: dagsBackfill,
  },
  {
    name: ['tasks', 'clear'],
    summary: 'clear task instances so they run again',
    help: clearHelp,
    run: tasksClear,
  },
  {
    name: ['connections', 'add'],
    summary: 'store a connection (encrypted)',
    help: connectionsHelp,
    run: connectionsAdd,
  },
  {
    name: ['connections', 'list'],
    summary: 'list stored connections, passwords masked',
    help: connectionsHelp,
    run: connectionsList,
  },
  {
    name: ['connections', 'delete'],
    summary: 'delete a stored connection',
    help: connectionsHelp,
    run: connectionsDelete,
  },
  { name: ['variables', 'set'], summary: 'set a variable', help: variablesHelp, run: variablesSet },
  { name: ['variables', 'get'], summary: 'print a variable', help: variablesHelp, run: variablesGet },
  { name: ['variables', 'list'], summary: 'list the variables', help: variablesHelp, run: variablesList },
  { name: ['variables', 'delete'], summary: 'delete a variable', help: variablesHelp, run: variablesDelete },
  {
    name: ['dags', 'list'],
    summary: 'list the DAGs and the DAG files that failed to load',
    help: dagsListHelp,
    run: dagsList,
  },
  { name: ['dags', 'test'], summary: 'run one DAG run in this process', help: dagsTestHelp, run: dagsTest },
  {
    name: ['tasks', 'test'],
    summary: 'run one task of one DAG run in this process',
    help: tasksTestHelp,
    run: tasksTest,
  },
];

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
    'Environment: DOWNBEAT_HOME (state folder, default ./.downbeat), DOWNBEAT_DAGS_FOLDER (default the',
    "repository's pipelines/), DOWNBEAT_CONN_<ID> (a connection as a URI, e.g. DOWNBEAT_CONN_WAREHOUSE=",
    'duckdb:///path/warehouse.duckdb).',
    'DOWNBEAT_DATABASE_URL (metadata DB: a SQLite path or postgres://…; default DOWNBEAT_HOME/metadata.sqlite),',
    'DOWNBEAT_HEARTBEAT_SECONDS (workers heartbeat running tries, default 5), DOWNBEAT_ZOMBIE_SECONDS (a try',
    'without a heartbeat this long is lost and runs again, default 60).',
    'DOWNBEAT_ADMIN_USER and DOWNBEAT_ADMIN_PASSWORD (the first web UI user), DOWNBEAT_SECRET_KEY (encrypts',
    'stored connections).',
    'DOWNBEAT_LOG_RETENTION (the scheduler deletes task logs older than this, e.g. 30d; default: kept forever),',
    'DOWNBEAT_METRICS_CACHE_SECONDS (/metrics counts ended runs and tasks over all history at most this often,',
    'default 30).',
  ].join('\n');
}

/** The `downbeat` command. Resolves to the exit status: 0 success, 1 failure, 2 bad usage. */
export async function main(argv: readonly string[], io: CliIo = process): Promise<number> {
  let commands: readonly Command[] = BUILT_IN;
  try {
    const pipelines = await loadPipelineCommands(loadConfig(io.env).dagsFolder);
    for (const error of pipelines.errors)
      print(io.stderr, `warning: ${error.file} failed to load: ${error.message}`);
    commands = [...BUILT_IN, ...pipelines.commands];

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
    if (wantsHelp) {
      print(io.stdout, command.help);
      return 0;
    }
    return await command.run(args, io);
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
