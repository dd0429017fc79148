import { DownbeatError } from '../errors/index.ts';

/** The most a task's output may take as JSON (UTF-8 bytes): it is kept with every try. */
export const MAX_OUTPUT_BYTES = 64 * 1024;

/** A task's output that cannot be kept: not JSON, or too large. Fails the try, saying which. */
export class TaskOutputError extends DownbeatError {
  readonly taskId: string;

  constructor(code: 'output_not_json' | 'output_too_large', taskId: string, message: string) {
    super(code, `task ${taskId}: ${message}`);
    this.taskId = taskId;
  }
}

/**
 * The output as JSON text, checked strictly: null, booleans, finite numbers, strings, arrays and
 * plain objects only — what JSON.stringify would silently drop or change (undefined in an object,
 * a function, NaN, a Date, a Map, a class instance) is an error naming where it is.
 */
export function outputJson(taskId: string, value: unknown): string {
  const problem = notJson(value, 'the output', new Set());
  if (problem)
    throw new TaskOutputError('output_not_json', taskId, `${problem}: a task's output must be JSON`);
  const json = JSON.stringify(value);
  const bytes = new TextEncoder().encode(json).length;
  if (bytes > MAX_OUTPUT_BYTES)
    throw new TaskOutputError(
      'output_too_large',
      taskId,
      `its output is ${bytes.toLocaleString('en')} bytes as JSON, over the limit of ${MAX_OUTPUT_BYTES.toLocaleString('en')} (64 KiB): keep large data in the warehouse and return its key`,
    );
  return json;
}

function notJson(value: unknown, where: string, seen: Set<object>): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${where} is ${value}`;
  if (typeof value !== 'object')
    return `${where} is ${typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`}`;
  if (seen.has(value)) return `${where} refers back to itself`;
  if (Array.isArray(value)) {
    seen.add(value);
    for (const [i, item] of value.entries()) {
      const problem = notJson(item, `${where}[${i}]`, seen);
      if (problem) return problem;
    }
    seen.delete(value);
    return undefined;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null)
    return `${where} is a ${(value as { constructor?: { name?: string } }).constructor?.name ?? 'class instance'}, not a plain object`;
  seen.add(value);
  for (const [key, item] of Object.entries(value)) {
    const problem = notJson(item, `${where}.${key}`, seen);
    if (problem) return problem;
  }
  seen.delete(value);
  return undefined;
}
