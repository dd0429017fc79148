/**
 * The README's test command (`npm test`): sets up what the tests need, then runs every check and
 * test, stopping at the first that fails. On a fresh Debian machine as root it installs what is
 * missing with apt-get (Chromium, OpenStack Swift, PostgreSQL's server binaries) and saying so;
 * where it cannot, it refuses and names the packages. Tests are never skipped for want of a tool.
 *
 *   node --import tsx scripts/test.ts [VITEST ARGS…]     e.g. `npm test -- src/store`
 *
 * Environment:
 *   DOWNBEAT_TEST_NO_INSTALL=1   refuse instead of installing (a developer's own machine)
 *   CHROMIUM_PATH                the browser for test/ui/, if it is executable; else `chromium` on PATH
 *   DOWNBEAT_TEST_POSTGRES_URL   a server to make the tests' databases on, used if it answers; else
 *                                127.0.0.1:5432 (user postgres, database test), else a throwaway
 *                                cluster of the tests' own, stopped at the end
 *   DOWNBEAT_TEST_IGNORE_LOCAL_POSTGRES=1   do not try 127.0.0.1:5432 (to try the throwaway cluster)
 */
import {
  catchSignals,
  interrupted,
  run,
  setUpTests,
  TestSetupRefusal,
  type TestSetup,
} from './test-setup/index.ts';

const STEPS: readonly (readonly [string, ...string[]])[] = [
  ['npm', 'run', 'lint'],
  ['npm', 'run', 'typecheck'],
  ['npm', 'run', 'build', '--if-present'],
  ['npm', 'run', 'build:web'],
  ['npx', 'vitest', 'run', ...process.argv.slice(2)],
];

catchSignals();
let setup: TestSetup;
try {
  setup = await setUpTests();
} catch (error) {
  const signal = interrupted();
  const message =
    error instanceof TestSetupRefusal ? error.message : `cannot set up the tests: ${String(error)}`;
  process.stderr.write(`${signal ? `test setup: interrupted (${signal})` : message}\n`);
  process.exit(1);
}

let status = 0;
try {
  const env = { ...process.env, ...setup.env };
  for (const [command, ...args] of STEPS) {
    process.stdout.write(`\ntest: ${[command, ...args].join(' ')}\n`);
    status = await run(command, args, env);
    if (status !== 0) break;
  }
} finally {
  setup.tearDown();
}
process.exitCode = status;
