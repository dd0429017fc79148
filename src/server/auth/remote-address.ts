import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** The address the request came from (the socket's peer), or `unknown` when the server cannot tell. */
export function remoteAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
