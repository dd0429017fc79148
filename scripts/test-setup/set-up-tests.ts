/**
 * Everything the tests need beyond node_modules, checked one by one and installed with apt-get
 * when missing (as root, unless DOWNBEAT_TEST_NO_INSTALL=1); what cannot be installed is refused
 * by name, never skipped.
 */
import { aptInstall } from './apt.ts';
import { chromium } from './chromium.ts';
import { findOnPath, say } from './commands.ts';
import { planSetup, refusal } from './plan.ts';
import { postgresBinaries } from './postgres-binaries.ts';
import { testPostgres } from './postgres-server.ts';
import { swift } from './swift.ts';
import type { Lookup, Tool } from './tool.ts';

/** Why the tests cannot be set up here, with the packages that would fix it. */
export class TestSetupRefusal extends Error {
  readonly code = 'TEST_SETUP_REFUSED';
  override readonly name = 'TestSetupRefusal';
}

export interface TestSetup {
  /** What the tests' processes see on top of ours: CHROMIUM_PATH, DOWNBEAT_TEST_POSTGRES_URL. */
  readonly env: Readonly<Record<string, string>>;
  /** Stops what the setup started (a throwaway PostgreSQL cluster), however the tests ended. */
  tearDown(): void;
}

interface Checked {
  readonly tool: Tool;
  readonly found: Lookup;
}

function check(tool: Tool): Checked {
  const found = tool.find();
  say('why' in found ? `${tool.tool} missing: ${found.why}` : `${tool.tool} found at ${found.where}`);
  return { tool, found };
}

const missingOf = (checked: readonly Checked[]) => checked.filter((c) => 'why' in c.found).map((c) => c.tool);

export async function setUpTests(env: NodeJS.ProcessEnv = process.env): Promise<TestSetup> {
  let checked = [chromium(env), swift, postgresBinaries].map(check);
  const plan = planSetup(missingOf(checked), {
    noInstall: env.DOWNBEAT_TEST_NO_INSTALL === '1',
    root: process.getuid?.() === 0,
    aptGet: findOnPath('apt-get', env.PATH),
  });
  if (plan.action === 'refuse') throw new TestSetupRefusal(plan.message);
  if (plan.action === 'install') {
    const failed = await aptInstall(plan.aptGet, plan.missing, env);
    if (failed !== undefined) throw new TestSetupRefusal(failed);
    checked = checked.map((c) => ('why' in c.found ? check(c.tool) : c));
    const still = missingOf(checked);
    if (still.length > 0) throw new TestSetupRefusal(refusal(still, 'apt-get install did not provide it'));
  }

  const postgres = await testPostgres(env);
  const toolEnv = Object.fromEntries(
    checked.flatMap((c) => Object.entries('where' in c.found ? (c.found.env ?? {}) : {})),
  );
  return { env: { ...toolEnv, DOWNBEAT_TEST_POSTGRES_URL: postgres.url }, tearDown: () => postgres.stop() };
}
