/**
 * The login limit (issue #20): five failed logins for a user name, or from an address, within five
 * minutes lock that name or that address for five minutes; while the lock holds, no answer tells
 * a right password from a wrong one — remembered Basic credentials included. Clients at other
 * loopback addresses (127.0.0.x) stand for other machines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginRateLimit } from './auth/rate-limit.ts';
import { PASSWORD, requestFrom, testServer, USER, type TestServer } from './testing.ts';

const basic = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

describe('the login limit', () => {
  let s: TestServer;
  let now = Date.parse('2026-12-04T10:00:00Z');
  beforeAll(async () => {
    s = await testServer('sqlite', { engine: false, now: () => now });
  });
  afterAll(() => s.close());

  const dags = (address: string, username: string, password: string) =>
    requestFrom(address, `${s.url}/api/v1/dags`, { headers: { authorization: basic(username, password) } });
  const login = (address: string, username: string, password: string) =>
    requestFrom(address, `${s.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
    });

  it('holds after Basic credentials were used: right or remembered, the password is refused like a wrong one', async () => {
    // The real user's client, whose credentials the server now remembers.
    expect((await dags('127.0.0.11', USER, PASSWORD)).status).toBe(200);
    // A brute force from elsewhere: five wrong guesses, then the lock.
    for (let i = 0; i < 5; i += 1) expect((await dags('127.0.0.12', USER, `guess ${i}`)).status).toBe(401);
    const wrong = await dags('127.0.0.12', USER, 'guess 5');
    const right = await dags('127.0.0.12', USER, PASSWORD);
    expect(wrong.status).toBe(429);
    expect(right.status).toBe(429);
    expect(JSON.parse(right.body)).toEqual(JSON.parse(wrong.body));
    expect(right.headers['retry-after']).toBe('300');
    // The real user too, its remembered credentials and the login form alike, until the lock ends.
    expect((await dags('127.0.0.11', USER, PASSWORD)).status).toBe(429);
    expect((await login('127.0.0.13', USER, PASSWORD)).status).toBe(429);
    now += 4 * 60_000;
    const later = await dags('127.0.0.11', USER, PASSWORD);
    expect(later.status).toBe(429);
    expect(later.headers['retry-after']).toBe('60');
    now += 60_000;
    expect((await dags('127.0.0.11', USER, PASSWORD)).status).toBe(200);
  });

  it('locks an address that tries five names, whatever names it tries next', async () => {
    for (const name of ['eve', 'mallory', 'trudy', 'oscar', 'victor'])
      expect((await login('127.0.0.21', name, 'guess')).status).toBe(401);
    expect((await login('127.0.0.21', 'peggy', 'guess')).status).toBe(429);
    expect((await dags('127.0.0.21', USER, PASSWORD)).status).toBe(429);
    // Another address, and the names it did not lock, are not held by it.
    expect((await dags('127.0.0.22', USER, PASSWORD)).status).toBe(200);
    now += 5 * 60_000;
    expect((await login('127.0.0.21', 'peggy', 'guess')).status).toBe(401);
  });

  it("holds for bearer tokens: a locked user's token waits, and guessed tokens lock their address", async () => {
    const token = (
      JSON.parse(
        (
          await requestFrom('127.0.0.51', `${s.url}/api/v1/auth/tokens`, {
            method: 'POST',
            headers: { authorization: basic(USER, PASSWORD) },
          })
        ).body,
      ) as { token: string }
    ).token;
    const withToken = (address: string, value: string) =>
      requestFrom(address, `${s.url}/api/v1/dags`, { headers: { authorization: `Bearer ${value}` } });
    expect((await withToken('127.0.0.52', token)).status).toBe(200);
    for (let i = 0; i < 5; i += 1) expect((await dags('127.0.0.53', USER, `guess ${i}`)).status).toBe(401);
    expect((await withToken('127.0.0.52', token)).status).toBe(429);
    now += 5 * 60_000;
    expect((await withToken('127.0.0.52', token)).status).toBe(200);
    for (let i = 0; i < 5; i += 1) expect((await withToken('127.0.0.54', `guess${i}`)).status).toBe(401);
    expect((await withToken('127.0.0.54', token)).status).toBe(429);
    expect((await withToken('127.0.0.55', token)).status).toBe(200);
  });

  it('answers an unknown user as a known one with a wrong password', async () => {
    const unknown = await login('127.0.0.31', 'nobody', 'guess');
    const known = await login('127.0.0.32', USER, 'guess');
    expect(unknown.status).toBe(401);
    expect(unknown.body.replace(/nobody/g, USER)).toBe(known.body);
  });
});

describe('LoginRateLimit', () => {
  it('counts failures in a sliding window; a success clears nothing', () => {
    const limit = new LoginRateLimit(3, 1000, 5000);
    const keys = ['user:a', 'address:x'];
    limit.failed(keys, 0);
    limit.failed(keys, 600);
    // The first failure has left the window when the third comes: no lock yet.
    limit.failed(keys, 1100);
    expect(limit.retryAfter(keys, 1100)).toBe(0);
    limit.failed(['user:a'], 1200);
    expect(limit.retryAfter(['user:a'], 1200)).toBe(5);
    expect(limit.retryAfter(['address:x'], 1200)).toBe(0);
    expect(limit.retryAfter(['user:a'], 6200)).toBe(0);
  });
});
