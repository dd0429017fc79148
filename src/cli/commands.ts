/**
 * The built-in commands, each loaded only when it runs: `downbeat --help` and a quick command
 * pay for their own modules, not for every command's (the web server, the drivers, the adapters).
 */
import type { CliIo } from './io.ts';

export interface Command {
  readonly name: readonly string[];
  readonly summary: string;
  load(): Promise<{ readonly help: string; run(args: readonly string[], io: CliIo): Promise<number> }>;
}

const command = (name: string, summary: string, load: Command['load']): Command => ({
  name: name.split(' '),
  summary,
  load,
});

export const BUILT_IN: readonly Command[] = [
  command('init', 'write a new project of your own: a DAG, its test, package.json', async () => {
    const m = await import('./commands/init.ts');
    return { help: m.help, run: m.init };
  }),
  command('standalone', 'scheduler, workers and web server in one process (embedded mode)', async () => {
    const m = await import('./commands/standalone.ts');
    return { help: m.help, run: m.standalone };
  }),
  command('scheduler', 'run the scheduler', async () => {
    const m = await import('./commands/serve.ts');
    return { help: m.schedulerHelp, run: m.schedulerCommand };
  }),
  command('webserver', 'serve the web UI, REST API and /metrics', async () => {
    const m = await import('./commands/webserver.ts');
    return { help: m.help, run: m.webserver };
  }),
  command('worker', 'run tasks from the queue (distributed mode)', async () => {
    const m = await import('./commands/serve.ts');
    return { help: m.workerHelp, run: m.workerCommand };
  }),
  command('db migrate', 'apply the metadata DB migrations', async () => {
    const m = await import('./commands/db-migrate.ts');
    return { help: m.help, run: m.dbMigrate };
  }),
  command('db clean', 'delete old task logs and audit rows (and with --runs old finished runs)', async () => {
    const m = await import('./commands/db-clean.ts');
    return { help: m.help, run: m.dbClean };
  }),
  command('dags trigger', 'create a manual run', async () => {
    const m = await import('./commands/dags-control.ts');
    return { help: m.triggerHelp, run: m.dagsTrigger };
  }),
  command('dags pause', 'stop scheduling a DAG', async () => {
    const m = await import('./commands/dags-control.ts');
    return { help: m.pauseHelp, run: m.dagsPause(true) };
  }),
  command('dags unpause', 'schedule a DAG again', async () => {
    const m = await import('./commands/dags-control.ts');
    return { help: m.pauseHelp, run: m.dagsPause(false) };
  }),
  command('dags backfill', 'run a DAG for a past range of intervals', async () => {
    const m = await import('./commands/backfill.ts');
    return { help: m.help, run: m.dagsBackfill };
  }),
  command('tasks mark', 'mark a task instance success or failed by hand', async () => {
    const m = await import('./commands/mark.ts');
    return { help: m.tasksMarkHelp, run: m.tasksMark };
  }),
  command('dags mark', 'mark a run success or failed by hand', async () => {
    const m = await import('./commands/mark.ts');
    return { help: m.dagsMarkHelp, run: m.dagsMark };
  }),
  command('tasks clear', 'clear task instances so they run again', async () => {
    const m = await import('./commands/tasks-clear.ts');
    return { help: m.help, run: m.tasksClear };
  }),
  command('connections add', 'store a connection (encrypted)', async () => {
    const m = await import('./commands/connections.ts');
    return { help: m.help, run: m.connectionsAdd };
  }),
  command('connections list', 'list stored connections, passwords masked', async () => {
    const m = await import('./commands/connections.ts');
    return { help: m.help, run: m.connectionsList };
  }),
  command('connections delete', 'delete a stored connection', async () => {
    const m = await import('./commands/connections.ts');
    return { help: m.help, run: m.connectionsDelete };
  }),
  command('variables set', 'set a variable', async () => {
    const m = await import('./commands/variables.ts');
    return { help: m.help, run: m.variablesSet };
  }),
  command('variables get', 'print a variable', async () => {
    const m = await import('./commands/variables.ts');
    return { help: m.help, run: m.variablesGet };
  }),
  command('variables list', 'list the variables', async () => {
    const m = await import('./commands/variables.ts');
    return { help: m.help, run: m.variablesList };
  }),
  command('variables delete', 'delete a variable', async () => {
    const m = await import('./commands/variables.ts');
    return { help: m.help, run: m.variablesDelete };
  }),
  command(
    'sources check',
    'mark stale the runs whose source objects changed since they read them',
    async () => {
      const m = await import('./commands/sources.ts');
      return { help: m.help, run: m.sourcesCheck };
    },
  ),
  command('pools set', 'create a pool or change its slots', async () => {
    const m = await import('./commands/pools.ts');
    return { help: m.help, run: m.poolsSet };
  }),
  command('pools list', 'list the pools, with their running and open slots', async () => {
    const m = await import('./commands/pools.ts');
    return { help: m.help, run: m.poolsList };
  }),
  command('pools delete', 'delete a pool', async () => {
    const m = await import('./commands/pools.ts');
    return { help: m.help, run: m.poolsDelete };
  }),
  command('users create', 'create a user of the web UI and API with a role', async () => {
    const m = await import('./commands/users.ts');
    return { help: m.help, run: m.usersCreate };
  }),
  command('users list', 'list the users and their roles', async () => {
    const m = await import('./commands/users.ts');
    return { help: m.help, run: m.usersList };
  }),
  command('users delete', 'delete a user, ending their sessions and tokens', async () => {
    const m = await import('./commands/users.ts');
    return { help: m.help, run: m.usersDelete };
  }),
  command('users set-role', "change a user's role, ending their sessions and tokens", async () => {
    const m = await import('./commands/users.ts');
    return { help: m.help, run: m.usersSetRole };
  }),
  command('users reset-password', "set a user's password, ending their sessions and tokens", async () => {
    const m = await import('./commands/users.ts');
    return { help: m.help, run: m.usersResetPassword };
  }),
  command('audit list', 'the audit log: who changed what, when and from where', async () => {
    const m = await import('./commands/audit.ts');
    return { help: m.help, run: m.auditList };
  }),
  command('dags list', 'list the DAGs and the DAG files that failed to load', async () => {
    const m = await import('./commands/dags-list.ts');
    return { help: m.help, run: m.dagsList };
  }),
  command('dags list-runs', "list a DAG's runs (or its range runs)", async () => {
    const m = await import('./commands/list-runs.ts');
    return { help: m.help, run: m.dagsListRuns };
  }),
  command('dags test', 'run one DAG run in this process', async () => {
    const m = await import('./commands/test-run.ts');
    return { help: m.dagsTestHelp, run: m.dagsTest };
  }),
  command('tasks states-for-dag-run', "print each task instance's state in a run", async () => {
    const m = await import('./commands/task-states.ts');
    return { help: m.help, run: m.tasksStatesForDagRun };
  }),
  command('tasks test', 'run one task of one DAG run in this process', async () => {
    const m = await import('./commands/test-run.ts');
    return { help: m.tasksTestHelp, run: m.tasksTest };
  }),
];
