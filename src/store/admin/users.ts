import type { Db } from '../db/index.ts';

/** Users, their browser sessions and API tokens. Tokens are stored as hashes only. */

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM users');
  return Number(row?.n ?? 0);
}

export async function createUser(
  db: Db,
  username: string,
  passwordHash: string,
  now: number,
): Promise<boolean> {
  const rows = await db.execute(
    'INSERT INTO users (username, password_hash, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [username, passwordHash, now],
  );
  return rows > 0;
}

export async function passwordHashOf(db: Db, username: string): Promise<string | undefined> {
  const [row] = await db.query<{ password_hash: string }>(
    'SELECT password_hash FROM users WHERE username = $1',
    [username],
  );
  return row?.password_hash;
}

export interface TokenRow {
  readonly username: string;
  readonly kind: 'session' | 'api';
  readonly csrf_token: string | null;
  readonly expires_at: number | null;
}

export async function createToken(
  db: Db,
  token: {
    hash: string;
    username: string;
    kind: 'session' | 'api';
    csrf: string | null;
    expiresAt: number | null;
  },
  now: number,
): Promise<void> {
  await db.execute(
    'INSERT INTO auth_tokens (token_hash, username, kind, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [token.hash, token.username, token.kind, token.csrf, now, token.expiresAt],
  );
}

/** The token's owner, unless it expired. */
export async function findToken(db: Db, hash: string, now: number): Promise<TokenRow | undefined> {
  const [row] = await db.query<TokenRow>(
    'SELECT username, kind, csrf_token, expires_at FROM auth_tokens WHERE token_hash = $1 AND (expires_at IS NULL OR expires_at > $2)',
    [hash, now],
  );
  return row;
}

export async function deleteToken(db: Db, hash: string): Promise<void> {
  await db.execute('DELETE FROM auth_tokens WHERE token_hash = $1', [hash]);
}

export async function deleteExpiredTokens(db: Db, now: number): Promise<void> {
  await db.execute('DELETE FROM auth_tokens WHERE expires_at IS NOT NULL AND expires_at <= $1', [now]);
}
