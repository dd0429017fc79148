import { run, say } from './commands.ts';
import { refusal, type Missing } from './plan.ts';

/**
 * Installs each missing tool's packages, after one `apt-get update` (a fresh Debian image has no
 * package lists). Resolves to the refusal when an install fails, naming what is still missing.
 */
export async function aptInstall(
  aptGet: string,
  missing: readonly Missing[],
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  say('apt-get update …');
  // Lists from an earlier update may still do: an install that then fails is what refuses.
  const updated = await run(aptGet, ['update'], aptEnv);
  if (updated !== 0) say(`apt-get update failed (exit ${updated}); installing from the lists there are`);
  for (const [i, tool] of missing.entries()) {
    const args = ['install', '-y', ...tool.packages];
    say(`installing ${tool.tool} (apt-get ${args.join(' ')}) …`);
    const status = await run(aptGet, args, aptEnv);
    if (status !== 0) return refusal(missing.slice(i), `apt-get ${args.join(' ')} failed (exit ${status})`);
  }
  return undefined;
}
