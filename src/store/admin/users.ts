import { DownbeatError } from '../../errors/index.ts';
import type { Db, DbSession } from '../db/index.ts';

/** Users, their browser sessions and API tokens. Tokens are stored as hashes only. */

/** What a user may do, least first (DESIGN §2): each role may do all that the ones before it may. */
export const ROLES = ['viewer', 'op', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (text: unknown): text is Role => ROLES.includes(text as Role);

/** Whether `held` may do what `needed` may. */
export const roleAtLeast = (held: Role, needed: Role): boolean =>
  ROLES.indexOf(held) >= ROLES.indexOf(needed);

export interface UserRow {
  readonly username: string;
  readonly role: Role;
  readonly created_at: number;
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM users');
  return Number(row?.n ?? 0);
}

export async function createUser(
  db: Db,
  user: { username: string; passwordHash: string; role: Role },
  now: number,
): Promise<boolean> {
  const rows = await db.execute(
    'INSERT INTO users (username, password_hash, role, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
    [user.username, user.passwordHash, user.role, now],
  );
  return rows > 0;
}

export async function listUsers(db: Db): Promise<UserRow[]> {
  const rows = await db.query<UserRow>('SELECT username, role, created_at FROM users ORDER BY username');
  return rows.map((r) => ({ ...r, created_at: Number(r.created_at) }));
}

/** A user's password hash and role, to check credentials; undefined for an unknown user. */
export async function credentialsOf(
  db: Db,
  username: string,
): Promise<{ password_hash: string; role: Role } | undefined> {
  const [row] = await db.query<{ password_hash: string; role: Role }>(
    'SELECT password_hash, role FROM users WHERE username = $1',
    [username],
  );
  return row;
}

export async function passwordHashOf(db: Db, username: string): Promise<string | undefined> {
  return (await credentialsOf(db, username))?.password_hash;
}

/** A change refused: it would leave no admin. */
export class LastAdminError extends DownbeatError {
  constructor(username: string) {
    super('last_admin', `${username} is the last admin: make another user admin first`);
  }
}

/** Throws LastAdminError when `username` is the only admin (the admins locked until commit). */
async function keepAnAdmin(tx: DbSession, username: string): Promise<void> {
  const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
  const admins = await tx.query<{ username: string }>(
    `SELECT username FROM users WHERE role = 'admin'${lock}`,
  );
  if (admins.length === 1 && admins[0]?.username === username) throw new LastAdminError(username);
}

/** The changes below end the user's sessions and API tokens: what they allowed is gone. */

export async function setUserRole(db: Db, username: string, role: Role): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (role !== 'admin') await keepAnAdmin(tx, username);
    const rows = await tx.execute('UPDATE users SET role = $1 WHERE username = $2', [role, username]);
    await tx.execute('DELETE FROM auth_tokens WHERE username = $1', [username]);
    return rows > 0;
  });
}

export async function setUserPassword(db: Db, username: string, passwordHash: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx.execute('UPDATE users SET password_hash = $1 WHERE username = $2', [
      passwordHash,
      username,
    ]);
    await tx.execute('DELETE FROM auth_tokens WHERE username = $1', [username]);
    return rows > 0;
  });
}

export async function deleteUser(db: Db, username: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    await keepAnAdmin(tx, username);
    await tx.execute('DELETE FROM auth_tokens WHERE username = $1', [username]);
    return (await tx.execute('DELETE FROM users WHERE username = $1', [username])) > 0;
  });
}

export interface TokenRow {
  readonly username: string;
  readonly kind: 'session' | 'api';
  readonly csrf_token: string | null;
  readonly expires_at: number | null;
  /** The lower of the token's role and its user's. */
  readonly role: Role;
}

export async function createToken(
  db: Db,
  token: {
    hash: string;
    username: string;
    kind: 'session' | 'api';
    csrf: string | null;
    expiresAt: number | null;
    /** @default null: the user's role, whatever it is */
    role?: Role | null;
  },
  now: number,
): Promise<void> {
  await db.execute(
    'INSERT INTO auth_tokens (token_hash, username, kind, csrf_token, created_at, expires_at, role) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [token.hash, token.username, token.kind, token.csrf, now, token.expiresAt, token.role ?? null],
  );
}

/** The token's owner and role, unless it expired. */
export async function findToken(db: Db, hash: string, now: number): Promise<TokenRow | undefined> {
  const [row] = await db.query<Omit<TokenRow, 'role'> & { role: Role | null; user_role: Role }>(
    'SELECT t.username, t.kind, t.csrf_token, t.expires_at, t.role, u.role AS user_role FROM auth_tokens t JOIN users u ON u.username = t.username WHERE t.token_hash = $1 AND (t.expires_at IS NULL OR t.expires_at > $2)',
    [hash, now],
  );
  if (!row) return undefined;
  const { user_role: userRole, ...token } = row;
  const role = token.role && !roleAtLeast(token.role, userRole) ? token.role : userRole;
  return { ...token, role };
}

export async function deleteToken(db: Db, hash: string): Promise<void> {
  await db.execute('DELETE FROM auth_tokens WHERE token_hash = $1', [hash]);
}

export async function deleteExpiredTokens(db: Db, now: number): Promise<void> {
  await db.execute('DELETE FROM auth_tokens WHERE expires_at IS NOT NULL AND expires_at <= $1', [now]);
}
