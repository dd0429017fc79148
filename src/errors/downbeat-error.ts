const BRAND = Symbol.for('downbeat.error');

/** The base of every error Downbeat raises itself: a stable `code` beside the message. */
export class DownbeatError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /**
   * Also an error of another copy of Downbeat's code (a pipeline that imports it from elsewhere
   * than the engine does) is a DownbeatError, so that it is reported as one, not as a crash.
   * Subclasses keep the plain instanceof.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    return this === DownbeatError && typeof value === 'object' && value !== null && BRAND in value;
  }
}
