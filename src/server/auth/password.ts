import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** Passwords are kept as salted scrypt hashes: `scrypt$N$r$p$salt$hash`, base64url. */
const N = 32768;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, { N: n, r, p, maxmem: 128 * n * r * 2 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A random token for a session, an API token or a CSRF token. */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** Tokens are stored hashed: a copy of the metadata DB holds no usable token. */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A password for the first user when none is configured. */
export const generatePassword = (): string => randomBytes(12).toString('base64url');
