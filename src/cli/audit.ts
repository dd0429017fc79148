import { userInfo } from 'node:os';
import { toError } from '../errors/index.ts';
import { recordAudit, type AuditAction } from '../store/admin/index.ts';
import type { DbSession } from '../store/db/index.ts';
import { print, type CliIo } from './io.ts';

/** Who changes things from the command line: the operating system's user, as marks name it. */
export function cliUser(env: Readonly<Record<string, string | undefined>>): string {
  try {
    return userInfo().username;
  } catch {
    // No entry for this uid (a container's arbitrary user): what the shell says, else the uid.
    return env.USER ?? env.LOGNAME ?? `uid ${process.getuid?.() ?? '?'}`;
  }
}

/**
 * Records a change made with the `downbeat` command in the audit log (address `cli`); the store
 * masks the fields' secrets. The change is made already, so a row that cannot be written is a
 * warning, not a failure of the command.
 */
export async function recordCliChange(
  db: DbSession,
  io: CliIo,
  action: AuditAction,
  object: string,
  fields: Readonly<Record<string, unknown>> = {},
): Promise<void> {
  try {
    await recordAudit(db, {
      at: Date.now(),
      username: cliUser(io.env),
      address: 'cli',
      action,
      object,
      fields,
    });
  } catch (error) {
    print(
      io.stderr,
      `warning: ${action} of ${object} not recorded in the audit log: ${toError(error).message}`,
    );
  }
}
