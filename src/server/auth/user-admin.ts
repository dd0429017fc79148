import { DownbeatError } from '../../errors/index.ts';
import {
  createUser,
  deleteUser,
  isRole,
  ROLES,
  setUserPassword,
  setUserRole,
  type Role,
} from '../../store/admin/index.ts';
import type { Db } from '../../store/db/index.ts';
import { hashPassword } from './password.ts';

/**
 * Users as the CLI and the API manage them: the input checked (each refusal names its field), the
 * password hashed. Changing a role or password, or deleting a user, ends the user's sessions and
 * tokens (the store does it in the same transaction).
 */

export const MIN_PASSWORD = 8;
const USERNAME = /^[A-Za-z0-9_.@-]{1,64}$/;

/** Input refused; `field` is what the API calls it (the CLI's flag is `--field`). */
export class UserInputError extends DownbeatError {
  readonly field: 'username' | 'role' | 'password';
  constructor(field: UserInputError['field'], message: string) {
    super('invalid_input', message);
    this.field = field;
  }
}

export function checkUsername(username: unknown): string {
  if (typeof username !== 'string' || !USERNAME.test(username))
    throw new UserInputError(
      'username',
      'username must be 1 to 64 letters, digits or _ . @ - (no spaces or colons)',
    );
  return username;
}

export function checkRole(role: unknown): Role {
  if (!isRole(role))
    throw new UserInputError(
      'role',
      `role must be one of ${ROLES.join(', ')}${typeof role === 'string' ? `, not "${role.slice(0, 40)}"` : ''}`,
    );
  return role;
}

/** The message never holds the password. */
export function checkPassword(password: unknown): string {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD)
    throw new UserInputError('password', `password must be at least ${MIN_PASSWORD} characters`);
  return password;
}

/** False when the user name is taken. */
export async function addUser(
  db: Db,
  user: { username: unknown; password: unknown; role: unknown },
  now: number,
): Promise<boolean> {
  const username = checkUsername(user.username);
  const role = checkRole(user.role);
  const password = checkPassword(user.password);
  return createUser(db, { username, role, passwordHash: await hashPassword(password) }, now);
}

/** False for an unknown user; LastAdminError when it would leave no admin. */
export function changeRole(db: Db, username: string, role: unknown): Promise<boolean> {
  return setUserRole(db, username, checkRole(role));
}

export async function resetPassword(db: Db, username: string, password: unknown): Promise<boolean> {
  return setUserPassword(db, username, await hashPassword(checkPassword(password)));
}

/** False for an unknown user; LastAdminError for the last admin. */
export function removeUser(db: Db, username: string): Promise<boolean> {
  return deleteUser(db, username);
}
