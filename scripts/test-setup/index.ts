/** The test command's setup: what the tests need on a Debian machine, and running the steps after it. */
export { catchSignals, interrupted, run, say } from './commands.ts';
export { findChromium } from './chromium.ts';
export { planSetup, refusal } from './plan.ts';
export type { InstallAbility, Missing, SetupPlan } from './plan.ts';
export { setUpTests, TestSetupRefusal } from './set-up-tests.ts';
export type { TestSetup } from './set-up-tests.ts';
