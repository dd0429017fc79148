import { badRequest } from './errors.ts';

/**
 * Input checks for the API: each names the field it rejects and says what it wanted, so a 400
 * tells the caller what to fix. Nothing here trusts a type a client claims.
 */

export type Json = Record<string, unknown>;

/** The request body as a JSON object. */
export async function jsonBody(request: { text(): Promise<string> }): Promise<Json> {
  const text = await request.text();
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest(`the body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('the body must be a JSON object');
  }
  return value as Json;
}

/** Rejects fields the route does not know (a typo would otherwise be silently ignored). */
export function onlyFields(body: Json, allowed: readonly string[]): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key))
      throw badRequest(`unknown field "${key}" (expected ${allowed.join(', ')})`, key);
  }
}

export function requiredString(body: Json, field: string, maxLength = 1000): string {
  const value = body[field];
  if (value === undefined || value === null) throw badRequest(`"${field}" is required`, field);
  if (typeof value !== 'string') throw badRequest(`"${field}" must be a string`, field);
  if (value.length === 0 || value.length > maxLength)
    throw badRequest(`"${field}" must be 1 to ${maxLength} characters`, field);
  return value;
}

export function optionalBoolean(body: Json, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw badRequest(`"${field}" must be true or false`, field);
  return value;
}

export function optionalObject(body: Json, field: string): Json | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw badRequest(`"${field}" must be a JSON object`, field);
  return value as Json;
}

export function optionalStringList(body: Json, field: string): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw badRequest(`"${field}" must be a list of strings`, field);
  return value as string[];
}

export function wholeNumber(
  raw: unknown,
  field: string,
  options: { min: number; max: number; default: number },
): number {
  if (raw === undefined || raw === null || raw === '') return options.default;
  const n = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < options.min || n > options.max)
    throw badRequest(`"${field}" must be a whole number from ${options.min} to ${options.max}`, field);
  return n;
}

const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** A date: YYYY-MM-DD or ISO-8601; without a zone it is UTC. */
export function isoDate(raw: unknown, field: string): Date {
  if (typeof raw !== 'string' || !ISO.test(raw.trim()))
    throw badRequest(`"${field}" must be a date, YYYY-MM-DD or ISO-8601 (e.g. 2018-11-15T10:00:00Z)`, field);
  const text = raw.trim();
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/.test(text) || text.length === 10 ? text : `${text}Z`;
  const date = new Date(text.length === 10 ? `${text}T00:00:00Z` : zoned);
  if (Number.isNaN(date.getTime())) throw badRequest(`"${field}" is not a real date: ${text}`, field);
  return date;
}

export function optionalDate(raw: unknown, field: string): Date | undefined {
  return raw === undefined || raw === '' ? undefined : isoDate(raw, field);
}

export function oneOf<T extends string>(raw: unknown, field: string, values: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !values.includes(raw as T))
    throw badRequest(`"${field}" must be one of ${values.join(', ')}`, field);
  return raw as T;
}
