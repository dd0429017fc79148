import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { redact } from '../connections/index.ts';
import type { ApiError as ApiErrorBody } from './api/types.ts';

/**
 * An answer that is an error: a status, a stable code and a message a person understands. It
 * renders itself (like hono's HTTPException), so a route just throws it.
 */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly field: string | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: ContentfulStatusCode,
    code: string,
    message: string,
    options: { field?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = options.field;
    this.headers = options.headers ?? {};
  }

  body(): ApiErrorBody {
    return {
      error: { code: this.code, message: redact(this.message), ...(this.field ? { field: this.field } : {}) },
    };
  }
}

export const badRequest = (message: string, field?: string) =>
  new ApiError(400, 'invalid_input', message, { field });
export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} does not exist`);
export const conflict = (message: string) => new ApiError(409, 'conflict', message);

/** The one error handler: ours render themselves; anything else is logged once and is a 500. */
export function errorHandler(log: (line: string) => void) {
  return (error: Error, c: Context): Response => {
    if (error instanceof ApiError) return c.json(error.body(), error.status, error.headers);
    // hono's own (a body over the limit, a malformed request) carry a status.
    const status = (error as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return c.json(
        { error: { code: status === 413 ? 'too_large' : 'bad_request', message: redact(error.message) } },
        status as ContentfulStatusCode,
      );
    }
    log(`webserver: ${c.req.method} ${c.req.path}: ${redact(error.stack ?? error.message)}`);
    return c.json({ error: { code: 'internal', message: 'internal error: see the webserver log' } }, 500);
  };
}
