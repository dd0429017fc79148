import { openMetadata } from '../../app/index.ts';
import { loadConfig } from '../../config/index.ts';
import {
  AUDIT_ACTIONS,
  AUDIT_DEFAULT_LIMIT,
  AUDIT_MAX_LIMIT,
  isAuditAction,
  auditItem,
  listAudit,
} from '../../store/admin/index.ts';
import { parse, UsageError } from '../args.ts';
import { print, type CliIo } from '../context.ts';
import { printTable } from '../io.ts';
import { beforeOption } from './db-clean.ts';

export const help = `Usage: downbeat audit list [--user U] [--action A] [--object O] [--since T] [--until T]
                          [--limit N] [--offset N] [--json]

The audit log, newest first: every change made through the API, the web UI or this command
(trigger, clear, mark, pause, backfill, pools, connections, variables, users, tokens), logins and
failed logins; who, from where (an address, or cli), what, on which object, and the request's
fields with secrets masked. A change made here is recorded as your operating system's user. Old
rows go with \`downbeat db clean\`.
  --user U      only this user's
  --action A    only this action: ${AUDIT_ACTIONS.join(', ')}
  --object O    only this object and those under it (a DAG: its runs and task instances too)
  --since T     from this time: a date (2024-01-01, ISO-8601) or an age before now (30d, 12h)
  --until T     before this time, the same
  --limit N     at most N rows (default ${AUDIT_DEFAULT_LIMIT}, at most ${AUDIT_MAX_LIMIT})
  --offset N    skip the N newest first
  --json        a JSON array, with the fields of GET /api/v1/eventLogs`;

function whole(text: string | undefined, flag: string, min: number, max: number, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max)
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
  return n;
}

export async function auditList(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    user: { type: 'string' },
    action: { type: 'string' },
    object: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    limit: { type: 'string' },
    offset: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.action !== undefined && !isAuditAction(values.action))
    throw new UsageError(`--action "${values.action}" is none of ${AUDIT_ACTIONS.join(', ')}`);
  const now = Date.now();
  const filter = {
    username: values.user,
    action: values.action,
    object: values.object,
    since: values.since === undefined ? undefined : beforeOption(values.since, now, '--since'),
    until: values.until === undefined ? undefined : beforeOption(values.until, now, '--until'),
    limit: whole(values.limit, '--limit', 1, AUDIT_MAX_LIMIT, AUDIT_DEFAULT_LIMIT),
    offset: whole(values.offset, '--offset', 0, Number.MAX_SAFE_INTEGER, 0),
  };
  const db = await openMetadata(loadConfig(io.env));
  try {
    const rows = (await listAudit(db, filter)).map(auditItem);
    if (values.json) print(io.stdout, JSON.stringify(rows, null, 2));
    else
      printTable(io.stdout, [
        ['WHEN', 'USER', 'ADDRESS', 'ACTION', 'OBJECT', 'FIELDS'],
        ...rows.map((r) => [r.when, r.username, r.address, r.action, r.object, JSON.stringify(r.fields)]),
      ]);
    return 0;
  } finally {
    await db.close();
  }
}
