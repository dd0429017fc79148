/**
 * Chromium for the browser tests (test/ui/browser.ts): CHROMIUM_PATH when it names an executable,
 * else `chromium` on PATH. The tests are told the path found, so a stale CHROMIUM_PATH cannot
 * send them to a browser that is not there.
 */
import { findOnPath, isExecutable } from './commands.ts';
import type { Lookup, Tool } from './tool.ts';

export function findChromium(env: NodeJS.ProcessEnv): Lookup {
  const preset = env.CHROMIUM_PATH;
  if (preset && isExecutable(preset)) return { where: preset, env: { CHROMIUM_PATH: preset } };
  const stale = preset ? ` (CHROMIUM_PATH=${preset} is not an executable file)` : '';
  const onPath = findOnPath('chromium', env.PATH);
  return onPath
    ? { where: `${onPath}${stale}`, env: { CHROMIUM_PATH: onPath } }
    : { why: `no chromium on PATH${stale}` };
}

export function chromium(env: NodeJS.ProcessEnv): Tool {
  return { tool: 'chromium', packages: ['chromium'], find: () => findChromium(env) };
}
