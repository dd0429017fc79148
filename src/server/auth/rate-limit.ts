/**
 * Failed logins, counted per user name and per client address: the `limit`th failure within the
 * window locks that name, or that address, for `lockMs`. While a lock holds, every login for it
 * is refused before its password is looked at — right or wrong, fresh or remembered — so a guess
 * learns nothing. A success clears no count: the real user's logins cannot wipe an attacker's
 * failures. In memory: each webserver process keeps its own counts.
 */
export class LoginRateLimit {
  readonly #failures = new Map<string, number[]>();
  readonly #lockedUntil = new Map<string, number>();
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #lockMs: number;

  constructor(limit = 5, windowMs = 5 * 60_000, lockMs = 5 * 60_000) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#lockMs = lockMs;
  }

  /** Seconds until a login for all of these keys is allowed; 0 when it is now. */
  retryAfter(keys: readonly string[], now: number): number {
    let until = 0;
    for (const key of keys) {
      const locked = this.#lockedUntil.get(key) ?? 0;
      if (locked > now) until = Math.max(until, locked);
      else this.#lockedUntil.delete(key);
    }
    return until > now ? Math.ceil((until - now) / 1000) : 0;
  }

  failed(keys: readonly string[], now: number): void {
    for (const key of keys) {
      const recent = (this.#failures.get(key) ?? []).filter((t) => t > now - this.#windowMs);
      recent.push(now);
      if (recent.length < this.#limit) {
        this.#failures.set(key, recent);
        continue;
      }
      this.#failures.delete(key);
      this.#lockedUntil.set(key, now + this.#lockMs);
    }
    // Bounded memory under a spray of names: forget the oldest counts (locks are kept: a spray
    // from one address locks that address after `limit` names).
    if (this.#failures.size > 10_000)
      for (const old of [...this.#failures.keys()].slice(0, 5_000)) this.#failures.delete(old);
    if (this.#lockedUntil.size > 10_000)
      for (const [key, until] of this.#lockedUntil) if (until <= now) this.#lockedUntil.delete(key);
  }
}

/** The keys a login is counted under: its user name, and the address it came from. */
export function loginKeys(username: string, address: string): string[] {
  return [`user:${username}`, addressKey(address)];
}

/** The key of an address alone: a bearer token names no user until it is found. */
export function addressKey(address: string): string {
  return `address:${address}`;
}
