import type { Hook } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { ZodError } from 'zod';
import { API_ROUTES, routeKey } from './api/routes/index.ts';
import { routeKeyFor } from './auth/route-roles.ts';
import type { AppEnv } from './context.ts';
import { badRequest, type ApiError } from './errors.ts';

/**
 * Input as the API reads it: by each route's schemas (api/routes/), checked before its handler
 * runs; what they refuse is a 400 naming the field and saying what it wanted, so the caller knows
 * what to fix. Nothing here trusts a type a client claims.
 */

/** The request body's text, checked to be a JSON object; empty is `{}`. */
export async function jsonBody(request: { text(): Promise<string> }): Promise<string> {
  const text = await request.text();
  if (text.trim() === '') return '{}';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest(`the body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('the body must be a JSON object');
  }
  return text;
}

/**
 * For the routes that take a body: reads it as JSON whatever its content type says (an empty one
 * is `{}`), so the route's schema judges every body, and a body that is not a JSON object is
 * refused first with the reason.
 */
export function jsonBodies(prefix: string): MiddlewareHandler<AppEnv> {
  const withBody = new Set(API_ROUTES.filter((route) => route.request?.body).map(routeKey));
  return async (c, next) => {
    const key = routeKeyFor(c.req.method, c.req.path.slice(prefix.length));
    if (key !== undefined && withBody.has(key)) {
      const text = await jsonBody(c.req);
      const headers = new Headers(c.req.raw.headers);
      headers.set('content-type', 'application/json');
      c.req.raw = new Request(c.req.raw.url, { method: c.req.method, headers, body: text });
      c.req.bodyCache = {};
    }
    await next();
  };
}

/** The hook of every route's validation: the first issue as a 400 naming its field. */
export const validationHook: Hook<unknown, AppEnv, string, undefined> = (result) => {
  if (!result.success) throw inputError(result.error);
  return undefined;
};

function inputError(error: ZodError): ApiError {
  // An unknown field first: it is likely a typo of one the route found missing.
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0];
  if (!issue) return badRequest('invalid input');
  const field = issue.code === 'unrecognized_keys' ? String(issue.keys[0]) : issue.path.map(String).join('.');
  if (field === '') return badRequest(issue.message);
  const named = issue.message.includes(`"${field}"`) || issue.message.startsWith(`${field} `);
  // Our schemas' messages are predicates ("must be …"); zod's own are sentences.
  const message = named
    ? issue.message
    : /^[A-Z]/.test(issue.message)
      ? `"${field}" is invalid: ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}`
      : `"${field}" ${issue.message}`;
  return badRequest(message, field);
}
