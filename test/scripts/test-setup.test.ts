/** The test command's setup decision (install or refuse, naming the packages) and its Chromium lookup. */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findChromium,
  planSetup,
  type InstallAbility,
  type Missing,
} from '../../scripts/test-setup/index.ts';

const chromium: Missing = { tool: 'chromium', packages: ['chromium'] };
const swift: Missing = {
  tool: 'OpenStack Swift',
  packages: ['swift-proxy', 'swift-account', 'swift-container', 'swift-object'],
};
const postgres: Missing = { tool: 'PostgreSQL (initdb, pg_ctl, postgres)', packages: ['postgresql'] };
const rootWithApt: InstallAbility = { noInstall: false, root: true, aptGet: '/usr/bin/apt-get' };

describe('planSetup', () => {
  it('does nothing when nothing is missing, even where it could not install', () => {
    expect(planSetup([], { noInstall: true, root: false, aptGet: undefined })).toEqual({ action: 'none' });
  });

  it('installs what is missing as root with apt-get', () => {
    expect(planSetup([chromium, swift], rootWithApt)).toEqual({
      action: 'install',
      aptGet: '/usr/bin/apt-get',
      missing: [chromium, swift],
    });
  });

  it('refuses when not root, naming the tool and its package', () => {
    expect(planSetup([chromium], { ...rootWithApt, root: false })).toEqual({
      action: 'refuse',
      message:
        'cannot set up the tests: chromium is missing and this is not root; install it with: apt-get install -y chromium',
    });
  });

  it('refuses when told not to install, naming every tool and package', () => {
    expect(planSetup([chromium, swift, postgres], { ...rootWithApt, noInstall: true })).toEqual({
      action: 'refuse',
      message:
        'cannot set up the tests: chromium, OpenStack Swift and PostgreSQL (initdb, pg_ctl, postgres) are missing and ' +
        'DOWNBEAT_TEST_NO_INSTALL=1 is set; install them with: apt-get install -y chromium swift-proxy ' +
        'swift-account swift-container swift-object postgresql',
    });
  });

  it('says there is no apt-get before saying this is not root', () => {
    const plan = planSetup([postgres], { noInstall: false, root: false, aptGet: undefined });
    expect(plan).toMatchObject({ action: 'refuse' });
    expect(plan.action === 'refuse' && plan.message).toContain('missing and there is no apt-get here;');
  });
});

describe('findChromium', () => {
  let dir: string;
  let browser: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'downbeat-test-setup-'));
    browser = join(dir, 'chromium');
    await writeFile(browser, '#!/bin/sh\n');
    await chmod(browser, 0o755);
    await writeFile(join(dir, 'not-executable'), '');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('takes CHROMIUM_PATH when it is executable', () => {
    expect(findChromium({ CHROMIUM_PATH: browser, PATH: '' })).toEqual({
      where: browser,
      env: { CHROMIUM_PATH: browser },
    });
  });

  it('looks on PATH past a CHROMIUM_PATH that is not executable, and tells the tests what it found', () => {
    const stale = join(dir, 'not-executable');
    expect(findChromium({ CHROMIUM_PATH: stale, PATH: `/nonexistent:${dir}` })).toEqual({
      where: `${browser} (CHROMIUM_PATH=${stale} is not an executable file)`,
      env: { CHROMIUM_PATH: browser },
    });
  });

  it('says why when there is none', () => {
    expect(findChromium({ PATH: '/nonexistent' })).toEqual({ why: 'no chromium on PATH' });
  });
});
