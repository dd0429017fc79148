/**
 * Failed logins per client and user name within a window: past the limit, logins from that
 * client for that name are refused until the window passes (brute force costs hours, not seconds).
 * In memory: each webserver process keeps its own count.
 */
export class LoginRateLimit {
  readonly #failures = new Map<string, number[]>();
  readonly #limit: number;
  readonly #windowMs: number;

  constructor(limit = 5, windowMs = 5 * 60_000) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Seconds to wait before trying again; 0 when a try is allowed. */
  retryAfter(key: string, now: number): number {
    const recent = (this.#failures.get(key) ?? []).filter((t) => t > now - this.#windowMs);
    this.#failures.set(key, recent);
    if (recent.length < this.#limit) return 0;
    return Math.ceil(((recent[0] as number) + this.#windowMs - now) / 1000);
  }

  failed(key: string, now: number): void {
    const list = this.#failures.get(key) ?? [];
    list.push(now);
    this.#failures.set(key, list);
    if (this.#failures.size > 10_000) {
      // Bounded memory under a spray of names: forget the oldest keys.
      for (const old of [...this.#failures.keys()].slice(0, 5_000)) this.#failures.delete(old);
    }
  }

  succeeded(key: string): void {
    this.#failures.delete(key);
  }
}
