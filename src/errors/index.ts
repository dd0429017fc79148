/**
 * Errors that a person reads. Each class has a stable `code` (for the API, tests and alerts) and
 * carries the facts needed to act on it (a file and a line, a DAG and a task, a flag).
 *
 * `*Error` is misuse or bad input found by Downbeat itself; a task's failure is stored as data by
 * the engine (see executor/), whatever was thrown.
 */
import { DownbeatError } from './downbeat-error.ts';

export { DownbeatError } from './downbeat-error.ts';
export {
  BucketNotFoundError,
  describeTarget,
  ObjectStoreAuthError,
  ObjectStoreError,
  ObjectStoreRequestError,
  ObjectStoreUnavailableError,
  ObjectStoreUnreachableError,
  type ObjectStoreTarget,
} from './object-store-errors.ts';

/** Bad configuration: an environment variable, a flag, a connection URI. */
export class ConfigError extends DownbeatError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('config', message, options);
  }
}

/** Normalises anything thrown into an Error once, so callers never handle `unknown`. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  try {
    return new Error(JSON.stringify(thrown));
  } catch {
    return new Error(String(thrown));
  }
}

/** The stable code of an error: ours, Node's (`ENOENT`), or `internal`. */
export function errorCode(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'internal';
}
