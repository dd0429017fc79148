import type { Context, MiddlewareHandler } from 'hono';
import { OpenAPIHono } from '@hono/zod-openapi';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import {
  countUsers,
  createToken,
  createUser,
  credentialsOf,
  deleteExpiredTokens,
  deleteToken,
  findToken,
  passwordHashOf,
  roleAtLeast,
  type Role,
} from '../../store/admin/index.ts';
import type { Db } from '../../store/db/index.ts';
import type { Session } from '../api/types.ts';
import type { AppEnv, AuthUser, ServerContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import * as routes from '../api/routes/auth.ts';
import { recordOrLog } from '../audit/audit-middleware.ts';
import { loginPage } from './login-page.ts';
import { generatePassword, hashPassword, newToken, tokenHash, verifyPassword } from './password.ts';
import { addressKey, LoginRateLimit, loginKeys } from './rate-limit.ts';
import { remoteAddress } from './remote-address.ts';

const COOKIE = 'downbeat_session';
const SESSION_MS = 12 * 3600_000;

/**
 * The first user: DOWNBEAT_ADMIN_USER / DOWNBEAT_ADMIN_PASSWORD when set (created if missing);
 * otherwise, when there is no user at all, `admin` with a generated password, printed once.
 */
export async function ensureFirstUser(
  db: Db,
  env: Readonly<Record<string, string | undefined>>,
  print: (line: string) => void,
  now: number,
): Promise<void> {
  const user = env.DOWNBEAT_ADMIN_USER;
  const password = env.DOWNBEAT_ADMIN_PASSWORD;
  if (user && password) {
    if (await passwordHashOf(db, user)) return;
    await createUser(db, { username: user, passwordHash: await hashPassword(password), role: 'admin' }, now);
    print(`web UI user "${user}" created from DOWNBEAT_ADMIN_USER`);
    return;
  }
  if ((await countUsers(db)) > 0) return;
  const generated = generatePassword();
  const first = { username: 'admin', passwordHash: await hashPassword(generated), role: 'admin' as const };
  if (await createUser(db, first, now)) {
    print(
      `web UI login: admin / ${generated}  (shown once; set DOWNBEAT_ADMIN_USER and DOWNBEAT_ADMIN_PASSWORD to choose)`,
    );
  }
}

const unauthorized = (c: Context, message: string): ApiError => {
  // A page's own fetch (Sec-Fetch-Dest: empty) gets no Basic challenge, so the browser shows no prompt.
  const fromPage = c.req.header('sec-fetch-dest') === 'empty';
  const challenge = fromPage ? 'Bearer realm="downbeat"' : 'Basic realm="downbeat", Bearer realm="downbeat"';
  return new ApiError(401, 'unauthorized', message, { headers: { 'WWW-Authenticate': challenge } });
};

/** Checks the credentials of every request but /health and the login page. */
export function authentication(ctx: ServerContext): {
  routes: Hono<AppEnv>;
  require: MiddlewareHandler<AppEnv>;
} {
  const limit = new LoginRateLimit();
  // Basic credentials verified recently, so an API client does not pay scrypt on every call: until
  // when, against which stored hash (a new password or a deleted user voids them at once).
  const verified = new Map<string, { until: number; hash: string }>();
  // What an unknown user's password is checked against: the same scrypt work as a known user's.
  let unknownUser: Promise<string> | undefined;
  // The audit log (issue #20) has a row for each failed login, however it came, and for each
  // login through the form; not for each request that Basic or a token lets in (every API call).
  const failed = (c: Context, username: string, via: 'form' | 'basic' | 'bearer') =>
    recordOrLog(ctx, c, { username, action: 'login.failed', object: username, fields: { via } });

  /**
   * 429 while the user name (when known) or the address is locked: asked before anything else of
   * a login, a bearer token's included.
   */
  function refuseWhileLocked(c: Context, username: string | undefined): void {
    const address = remoteAddress(c);
    const keys = username === undefined ? [addressKey(address)] : loginKeys(username, address);
    const wait = limit.retryAfter(keys, ctx.now());
    if (wait === 0) return;
    const whose = username === undefined ? 'from this address' : `for "${username}" or from this address`;
    throw new ApiError(429, 'too_many_attempts', `too many failed logins ${whose}: try again in ${wait} s`, {
      headers: { 'Retry-After': String(wait) },
    });
  }

  /** The user's hash and role when the password is right; undefined (a failed login counted) when not. */
  async function checkPassword(
    c: Context,
    username: string,
    password: string,
    via: 'form' | 'basic',
  ): Promise<{ password_hash: string; role: Role } | undefined> {
    refuseWhileLocked(c, username);
    const stored = await credentialsOf(ctx.db, username);
    unknownUser ??= hashPassword(generatePassword());
    const matches = await verifyPassword(password, stored?.password_hash ?? (await unknownUser));
    if (stored && matches) return stored;
    limit.failed(loginKeys(username, remoteAddress(c)), ctx.now());
    await failed(c, username, via);
    return undefined;
  }

  async function identify(c: Context): Promise<AuthUser | undefined> {
    const header = c.req.header('authorization') ?? '';
    const now = ctx.now();
    if (/^basic /i.test(header)) {
      const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw unauthorized(c, 'malformed Basic credentials: expected base64 of user:password');
      const username = decoded.slice(0, colon);
      // Before the remembered credentials too: while a lock holds, right and wrong look alike.
      refuseWhileLocked(c, username);
      const cacheKey = tokenHash(decoded);
      const remembered = verified.get(cacheKey);
      const stored = remembered && remembered.until > now ? await credentialsOf(ctx.db, username) : undefined;
      if (stored && stored.password_hash === remembered?.hash)
        return { username, via: 'basic', csrfToken: null, role: stored.role };
      const checked = await checkPassword(c, username, decoded.slice(colon + 1), 'basic');
      if (!checked) throw unauthorized(c, 'wrong user name or password');
      verified.set(cacheKey, { until: now + 60_000, hash: checked.password_hash });
      return { username, via: 'basic', csrfToken: null, role: checked.role };
    }
    if (/^bearer /i.test(header)) {
      refuseWhileLocked(c, undefined);
      const token = await findToken(ctx.db, tokenHash(header.slice(7).trim()), now);
      if (!token || token.kind !== 'api') {
        // Guessed tokens count against the address, as guessed passwords do.
        limit.failed([addressKey(remoteAddress(c))], now);
        await failed(c, '', 'bearer');
        throw unauthorized(c, 'unknown or expired token');
      }
      // A locked user's tokens wait too: the lock holds however the user comes.
      refuseWhileLocked(c, token.username);
      return { username: token.username, via: 'bearer', csrfToken: null, role: token.role };
    }
    const cookie = getCookie(c, COOKIE);
    if (!cookie) return undefined;
    const session = await findToken(ctx.db, tokenHash(cookie), now);
    if (!session || session.kind !== 'session') return undefined;
    return { username: session.username, via: 'session', csrfToken: session.csrf_token, role: session.role };
  }

  const require: MiddlewareHandler<AppEnv> = async (c, next) => {
    const user = await identify(c);
    if (!user) {
      const wantsPage =
        c.req.method === 'GET' && !c.req.path.startsWith('/api/') && c.req.path !== '/metrics';
      if (wantsPage) return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 302);
      throw unauthorized(c, 'log in first: HTTP Basic, a bearer token, or a session from /login');
    }
    if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
      const site = c.req.header('sec-fetch-site');
      if (site === 'cross-site')
        throw new ApiError(403, 'cross_site', 'changes from another site are refused');
      if (user.via === 'session' && c.req.header('x-csrf-token') !== user.csrfToken) {
        throw new ApiError(
          403,
          'csrf',
          'missing or wrong X-CSRF-Token header (GET /api/v1/auth/session gives it)',
        );
      }
    }
    c.set('user', user);
    await next();
  };

  const routes = new Hono<AppEnv>();
  routes.get('/login', (c) => {
    const next = safeNext(c.req.query('next'));
    return c.html(loginPage({ next }));
  });
  routes.post('/login', async (c) => {
    const form = await c.req.parseBody();
    const username = typeof form.username === 'string' ? form.username : '';
    const password = typeof form.password === 'string' ? form.password : '';
    const next = safeNext(typeof form.next === 'string' ? form.next : undefined);
    let ok = false;
    try {
      ok = username !== '' && (await checkPassword(c, username, password, 'form')) !== undefined;
    } catch (error) {
      if (error instanceof ApiError)
        return c.html(loginPage({ next, username, error: error.message }), error.status, error.headers);
      throw error;
    }
    if (!ok) return c.html(loginPage({ next, username, error: 'Wrong user name or password.' }), 401);
    const now = ctx.now();
    await deleteExpiredTokens(ctx.db, now);
    const token = newToken();
    await createToken(
      ctx.db,
      { hash: tokenHash(token), username, kind: 'session', csrf: newToken(), expiresAt: now + SESSION_MS },
      now,
    );
    await recordOrLog(ctx, c, { username, action: 'login', object: username, fields: { via: 'form' } });
    setCookie(c, COOKIE, token, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      maxAge: SESSION_MS / 1000,
      secure: new URL(c.req.url).protocol === 'https:',
    });
    return c.redirect(next, 303);
  });
  routes.post('/logout', async (c) => {
    const cookie = getCookie(c, COOKIE);
    if (cookie) {
      const session = await findToken(ctx.db, tokenHash(cookie), ctx.now());
      const form = await c.req.parseBody();
      if (
        session &&
        form.csrf_token !== session.csrf_token &&
        c.req.header('x-csrf-token') !== session.csrf_token
      )
        throw new ApiError(403, 'csrf', 'missing or wrong CSRF token');
      await deleteToken(ctx.db, tokenHash(cookie));
    }
    deleteCookie(c, COOKIE, { path: '/' });
    return c.redirect('/login', 303);
  });
  return { routes, require };
}

/** Routes for the logged-in user: who am I, and API tokens. */
export function sessionRoutes(ctx: ServerContext): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(routes.getSession, (c) => {
    const user = c.get('user');
    const session: Session = { username: user.username, role: user.role, csrf_token: user.csrfToken ?? '' };
    return c.json(session, 200);
  });
  app.openapi(routes.createToken, async (c) => {
    const user = c.get('user');
    const role = c.req.valid('json').role ?? user.role;
    if (!roleAtLeast(user.role, role))
      throw new ApiError(
        403,
        'forbidden',
        `a token's role is at most yours: ${user.username} is ${user.role}, not ${role}`,
        {
          field: 'role',
        },
      );
    const token = newToken();
    await createToken(
      ctx.db,
      { hash: tokenHash(token), username: user.username, kind: 'api', csrf: null, expiresAt: null, role },
      ctx.now(),
    );
    return c.json({ token, role }, 201);
  });
  return app;
}

/** Only a path of this site: `next` must not send a user elsewhere after login. */
function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.includes('\\') ? next : '/';
}
