import { openMetadata } from '../../app/index.ts';
import { loadConfig } from '../../config/index.ts';
import {
  addUser,
  changeRole,
  MIN_PASSWORD,
  removeUser,
  resetPassword,
  UserInputError,
} from '../../server/index.ts';
import { LastAdminError, listUsers, type AuditAction } from '../../store/admin/index.ts';
import type { Db } from '../../store/db/index.ts';
import { recordCliChange } from '../audit.ts';
import { parse, UsageError } from '../args.ts';
import { print, type CliIo } from '../context.ts';
import { printTable } from '../io.ts';

export const help = `Usage: downbeat users create --username U --role R [--password P | --password-stdin]
       downbeat users list [--json]
       downbeat users delete --username U
       downbeat users set-role --username U --role R
       downbeat users reset-password --username U [--password P | --password-stdin]

Users of the web UI and API. A role (R) is viewer (reads all but connections), op (also triggers,
clears, marks, pauses, backfills and changes pools) or admin (also connections, users and the
audit log). A password has at least ${MIN_PASSWORD} characters; --password-stdin reads it from the
first line of standard input, so it stays out of the shell's history and the process list.
Changing a role or a password, or deleting a user, ends the user's browser sessions and API
tokens. The last admin can be neither demoted nor deleted. Each change is in the audit log.`;

async function withDb<T>(io: CliIo, work: (db: Db) => Promise<T>): Promise<T> {
  const db = await openMetadata(loadConfig(io.env));
  try {
    return await work(db);
  } catch (error) {
    // The checks name a field: on the command line it is a flag.
    if (error instanceof UserInputError) throw new UsageError(`--${error.field}: ${error.message}`);
    throw error;
  } finally {
    await db.close();
  }
}

function username(values: { username?: string | boolean | undefined }): string {
  if (typeof values.username !== 'string' || values.username === '')
    throw new UsageError(`--username is required\n\n${help}`);
  return values.username;
}

function role(values: { role?: string | boolean | undefined }): string {
  if (typeof values.role !== 'string') throw new UsageError(`--role is required (viewer, op or admin)`);
  return values.role;
}

/** --password or --password-stdin, exactly one. */
async function password(
  values: { password?: string | boolean | undefined; 'password-stdin'?: string | boolean | undefined },
  io: CliIo,
): Promise<string> {
  const given = typeof values.password === 'string';
  if (given === Boolean(values['password-stdin']))
    throw new UsageError('give the password with exactly one of --password or --password-stdin');
  if (typeof values.password === 'string') return values.password;
  if (!io.stdin) throw new UsageError('--password-stdin: there is no standard input');
  let text = '';
  for await (const chunk of io.stdin) text += String(chunk);
  return text.split(/\r?\n/)[0] ?? '';
}

const PASSWORD_FLAGS = { password: { type: 'string' }, 'password-stdin': { type: 'boolean' } } as const;

export async function usersCreate(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    username: { type: 'string' },
    role: { type: 'string' },
    ...PASSWORD_FLAGS,
  });
  const user = { username: username(values), role: role(values), password: await password(values, io) };
  const created = await withDb(io, async (db) => {
    const made = await addUser(db, user, Date.now());
    if (made) await recordCliChange(db, io, 'user.create', user.username, user);
    return made;
  });
  if (!created) {
    print(io.stderr, `downbeat: user "${user.username}" exists already`);
    return 1;
  }
  print(io.stdout, `user ${user.username} created (${user.role})`);
  return 0;
}

export async function usersList(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const users = await withDb(io, (db) => listUsers(db));
  const shown = users.map((u) => ({ ...u, created_at: new Date(u.created_at).toISOString() }));
  if (values.json) print(io.stdout, JSON.stringify(shown, null, 2));
  else
    printTable(io.stdout, [
      ['USERNAME', 'ROLE', 'CREATED'],
      ...shown.map((u) => [u.username, u.role, u.created_at]),
    ]);
  return 0;
}

/** Runs a change to one user: 1 with a message for an unknown user or the last admin. */
async function change(
  io: CliIo,
  name: string,
  work: (db: Db) => Promise<boolean>,
  done: string,
  [action, fields]: [AuditAction, Record<string, unknown>],
): Promise<number> {
  try {
    const changed = await withDb(io, async (db) => {
      const made = await work(db);
      if (made) await recordCliChange(db, io, action, name, fields);
      return made;
    });
    if (changed) {
      print(io.stdout, done);
      return 0;
    }
    print(io.stderr, `downbeat: no user "${name}"`);
  } catch (error) {
    if (!(error instanceof LastAdminError)) throw error;
    print(io.stderr, `downbeat: ${error.message}`);
  }
  return 1;
}

export async function usersDelete(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { username: { type: 'string' } });
  const name = username(values);
  return change(
    io,
    name,
    (db) => removeUser(db, name),
    `user ${name} deleted; their sessions and tokens ended`,
    ['user.delete', {}],
  );
}

export async function usersSetRole(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { username: { type: 'string' }, role: { type: 'string' } });
  const name = username(values);
  const to = role(values);
  return change(
    io,
    name,
    (db) => changeRole(db, name, to),
    `user ${name} is now ${to}; their sessions and tokens ended`,
    ['user.set_role', { role: to }],
  );
}

export async function usersResetPassword(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { username: { type: 'string' }, ...PASSWORD_FLAGS });
  const name = username(values);
  const secret = await password(values, io);
  return change(
    io,
    name,
    (db) => resetPassword(db, name, secret),
    `password of ${name} reset; their sessions and tokens ended`,
    ['user.reset_password', { password: secret }],
  );
}
