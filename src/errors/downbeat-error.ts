/** The base of every error Downbeat raises itself: a stable `code` beside the message. */
export class DownbeatError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
