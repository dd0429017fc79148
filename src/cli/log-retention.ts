import { retention } from '../config/index.ts';
import { toError } from '../errors/index.ts';
import { UsageError } from './args.ts';

/** The `--log-retention` flag of the commands that run a scheduler: a duration such as 30d, or off. */
export const LOG_RETENTION_HELP = `  --log-retention D   delete the log lines of tries that ended longer ago than D (30d, 12h;
                      at least 1h; off keeps them); runs stay. Default DOWNBEAT_LOG_RETENTION,
                      else logs are kept forever`;

export function logRetentionOption(raw: string | undefined): { logRetentionMs?: number | null } {
  if (raw === undefined) return {};
  try {
    return { logRetentionMs: retention(raw, '--log-retention') ?? null };
  } catch (error) {
    throw new UsageError(toError(error).message);
  }
}
