import { z } from '@hono/zod-openapi';

/**
 * The pieces the API's schemas are made of. Each input schema carries the message a 400 gives
 * (a predicate: the hook puts the field's name before it), so the checks read as the API's did
 * when they were written by hand, and the OpenAPI document says the same limits.
 */

const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** A date: YYYY-MM-DD or ISO-8601; without a zone it is UTC. Undefined when not one. */
function parseIsoDate(raw: string): Date | undefined {
  const text = raw.trim();
  if (!ISO.test(text)) return undefined;
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/.test(text) || text.length === 10 ? text : `${text}Z`;
  const date = new Date(text.length === 10 ? `${text}T00:00:00Z` : zoned);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const DATE_WANTED = 'must be a date, YYYY-MM-DD or ISO-8601 (e.g. 2018-11-15T10:00:00Z)';

/** A date in a body or a query, read as a Date. */
export const dateInput = () =>
  z
    .string({ error: (iss) => (iss.input === undefined ? 'is required' : DATE_WANTED) })
    .transform((text, ctx) => {
      const date = parseIsoDate(text);
      if (date) return date;
      ctx.issues.push({
        code: 'custom',
        input: text,
        message: ISO.test(text.trim()) ? `is not a real date: ${text.trim()}` : DATE_WANTED,
      });
      return z.NEVER;
    })
    .openapi({ type: 'string', description: 'YYYY-MM-DD or ISO-8601; without a zone, UTC' });

/** A date in a query: absent or empty is none. */
export const optionalDateQuery = () =>
  z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text === '') return undefined;
      const date = parseIsoDate(text);
      if (date) return date;
      ctx.issues.push({ code: 'custom', input: text, message: DATE_WANTED });
      return z.NEVER;
    })
    .openapi({ type: 'string', description: 'YYYY-MM-DD or ISO-8601; without a zone, UTC' });

/**
 * A whole number from a query or a path (text) or a body (a number); absent, null or empty is the
 * default. The document says integer, its bounds and its default.
 */
export function wholeNumberInput(options: { min: number; max: number; default: number }) {
  const wanted = `must be a whole number from ${options.min} to ${options.max}`;
  return z
    .unknown()
    .optional()
    .transform((raw, ctx): number => {
      if (raw === undefined || raw === null || raw === '') return options.default;
      const n = typeof raw === 'string' ? Number(raw) : raw;
      if (typeof n === 'number' && Number.isInteger(n) && n >= options.min && n <= options.max) return n;
      ctx.issues.push({ code: 'custom', input: raw, message: wanted });
      return z.NEVER;
    })
    .openapi({ type: 'integer', minimum: options.min, maximum: options.max, default: options.default });
}

/** A whole number in a body the caller may leave out (its default is decided later). */
export function optionalWholeNumber(options: { min: number; max: number }) {
  const wanted = `must be a whole number from ${options.min} to ${options.max}`;
  return z
    .number({ error: wanted })
    .int({ error: wanted })
    .min(options.min, { error: wanted })
    .max(options.max, { error: wanted })
    .nullish()
    .transform((n) => n ?? undefined);
}

/** Text of 1 to `max` characters. */
export const text = (max = 1000) =>
  z
    .string({
      error: (iss) => (iss.input === undefined || iss.input === null ? 'is required' : 'must be a string'),
    })
    .min(1, { error: `must be 1 to ${max} characters` })
    .max(max, { error: `must be 1 to ${max} characters` });

/** Text matching `pattern` (a name of the store: a pool, a connection). */
export const name = (max: number, pattern: RegExp, wanted: string) =>
  text(max).regex(pattern, { error: wanted });

export const bool = () =>
  z.boolean({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be true or false') });

/** One of `values`. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

/** A JSON object (null is none). */
export const jsonObject = () =>
  z
    .record(z.string(), z.unknown(), { error: 'must be a JSON object' })
    .nullish()
    .transform((v) => v ?? undefined);

/** A list of strings (null is none). */
export const stringList = () =>
  z
    .array(z.string(), { error: 'must be a list of strings' })
    .nullish()
    .transform((v) => v ?? undefined);

/**
 * A request body: a JSON object of these fields and no others (a typo would otherwise be silently
 * ignored), named `id` in the document.
 */
export function bodyOf<S extends z.ZodRawShape>(id: string, shape: S) {
  const expected = Object.keys(shape).join(', ');
  return z
    .strictObject(shape, {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? `unknown field "${String(iss.keys[0])}" (expected ${expected})`
          : 'the body must be a JSON object',
    })
    .openapi(id);
}

/** A check written elsewhere (it throws an error with the message): its message as the issue's. */
export function messageOf(check: (value: unknown) => unknown, value: unknown): string | undefined {
  try {
    check(value);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** `{ items, total_entries }` of `item`, named `id`. */
export const pageOf = <T extends z.ZodType>(id: string, item: T) =>
  z
    .object({
      items: z.array(item),
      total_entries: z.number().int().openapi({ description: 'how many there are' }),
    })
    .openapi(id);

/** An ISO-8601 time as the API answers it (UTC, milliseconds). */
export const isoTime = () => z.string().openapi({ format: 'date-time' });

/** Seconds from start to end; null until it ends. */
export const seconds = () => z.number().nullable().openapi({ description: 'seconds; null until it ends' });

/** Every error answer: a stable code, a message, and the field when the input is at fault. */
export const ApiErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ description: 'stable: invalid_input, not_found, forbidden, …' }),
      message: z.string(),
      field: z.string().optional().openapi({ description: 'the input at fault' }),
    }),
  })
  .openapi('Error');

/** A list as the API answers it (readonly: the server hands out what it read). */
export const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();

/** A whole number in a path (`/backfills/{id}`, `/logs/{try}`): text, read as a number. */
export function wholeNumberPath(options: { min: number; max: number }) {
  const wanted = `must be a whole number from ${options.min} to ${options.max}`;
  return z
    .string()
    .transform((raw, ctx): number => {
      const n = Number(raw);
      if (raw !== '' && Number.isInteger(n) && n >= options.min && n <= options.max) return n;
      ctx.issues.push({ code: 'custom', input: raw, message: wanted });
      return z.NEVER;
    })
    .openapi({ type: 'integer', minimum: options.min, maximum: options.max });
}
