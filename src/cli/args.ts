import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DownbeatError } from '../errors/index.ts';

/** A command line that cannot be used as given; names the flag or argument. Exit status 2. */
export class UsageError extends DownbeatError {
  constructor(message: string) {
    super('usage', message);
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
>;

/** node:util parseArgs, strict, with its errors turned into UsageErrors that name the flag. */
export function parse<T extends Options>(args: readonly string[], options: T): Parsed<T> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** A date given on the command line: `2018-11-15` or ISO-8601 with a time; UTC unless it says otherwise. */
export function parseDate(text: string, what: string): Date {
  const trimmed = text.trim();
  if (!DATE_ONLY.test(trimmed) && !DATE_TIME.test(trimmed)) {
    throw new UsageError(
      `${what} "${text}" is not a date: use YYYY-MM-DD or ISO-8601 such as 2018-11-15T10:00:00Z`,
    );
  }
  const iso = DATE_ONLY.test(trimmed)
    ? `${trimmed}T00:00:00Z`
    : /(Z|[+-]\d{2}:?\d{2})$/.test(trimmed)
      ? trimmed.replace(' ', 'T')
      : `${trimmed.replace(' ', 'T')}Z`;
  const date = new Date(iso);
  // Rejects dates that do not exist (2018-02-30), which Date would roll over.
  if (
    Number.isNaN(date.getTime()) ||
    (DATE_ONLY.test(trimmed) && date.toISOString().slice(0, 10) !== trimmed)
  ) {
    throw new UsageError(`${what} "${text}" is not a valid date`);
  }
  return date;
}
