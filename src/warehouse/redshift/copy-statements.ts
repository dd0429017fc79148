/**
 * The text of a Redshift COPY from S3 and of the small files it reads (a manifest naming the exact
 * objects, a JSONPaths file mapping fields to columns). Credentials and S3 addresses go into the
 * statement as literals (COPY takes no parameters), so each is checked against what such a value
 * can hold before it is written, and an error about one never repeats its value.
 */
import { quoteIdentifier } from '../../ports/index.ts';
import { ConfigError } from '../../errors/index.ts';
import type { AwsKeys } from '../../connections/index.ts';

/** How COPY is allowed to read S3: a role the cluster assumes, or static keys. */
export type CopyAuthorization = { readonly iamRole: string } | AwsKeys;

/** Redshift's largest MAXERROR: rejects past it fail the COPY itself. */
export const MAX_COPY_ERRORS = 100_000;

/** `{"jsonpaths": […]}`: one path per column, in the COPY's column order (like the brief's log_json_path.json). */
export function jsonPathsFile(fields: readonly string[]): string {
  const paths = fields.map((field) => {
    if (!/^[A-Za-z0-9_ -]+$/.test(field)) {
      throw new ConfigError(
        `field "${field}" cannot be named in a JSONPaths file (letters, digits, _, -, space)`,
      );
    }
    return `$['${field}']`;
  });
  return `${JSON.stringify({ jsonpaths: paths }, null, 2)}\n`;
}

/** A manifest naming exactly these objects, each mandatory: a missing one fails the COPY. */
export function manifestFile(urls: readonly string[]): string {
  return `${JSON.stringify({ entries: urls.map((url) => ({ url, mandatory: true })) }, null, 2)}\n`;
}

export interface CopyStatementOptions {
  readonly table: string;
  readonly columns: readonly string[];
  readonly manifestUrl: string;
  readonly jsonPathsUrl: string;
  readonly authorization: CopyAuthorization;
  /** The bucket's region, when it is not the cluster's. */
  readonly region?: string;
  /** Timestamp columns are read from epoch milliseconds. */
  readonly epochMillis: boolean;
}

/** `COPY table (columns) FROM 's3://….manifest' … MANIFEST FORMAT AS JSON 's3://….jsonpaths' …` */
export function copyStatement(options: CopyStatementOptions): string {
  return [
    `COPY ${quoteIdentifier(options.table)} (${options.columns.map(quoteIdentifier).join(', ')})`,
    `FROM ${s3Literal(options.manifestUrl)}`,
    authorizationClause(options.authorization),
    'MANIFEST',
    `FORMAT AS JSON ${s3Literal(options.jsonPathsUrl)}`,
    ...(options.epochMillis ? ["TIMEFORMAT 'epochmillisecs'"] : []),
    ...(options.region ? [`REGION ${checked(options.region, /^[a-z]{2}(-[a-z]+)+-\d+$/, 'region')}`] : []),
    `MAXERROR ${MAX_COPY_ERRORS}`,
    'COMPUPDATE OFF',
    'STATUPDATE OFF',
  ].join('\n');
}

function authorizationClause(authorization: CopyAuthorization): string {
  if ('iamRole' in authorization) {
    if (authorization.iamRole === 'default') return 'IAM_ROLE default';
    const role = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
    // Chained roles are one literal, comma-separated.
    if (!authorization.iamRole.split(',').every((arn) => role.test(arn)))
      throw new ConfigError(
        'iam_role is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME) or default',
      );
    return `IAM_ROLE '${authorization.iamRole}'`;
  }
  return [
    `ACCESS_KEY_ID ${checked(authorization.accessKeyId, /^[A-Z0-9]{16,128}$/, 'the access key id')}`,
    `SECRET_ACCESS_KEY ${checked(authorization.secretAccessKey, /^[A-Za-z0-9/+=]{16,128}$/, 'the secret access key')}`,
    ...(authorization.sessionToken
      ? [`SESSION_TOKEN ${checked(authorization.sessionToken, /^[A-Za-z0-9/+=]+$/, 'the session token')}`]
      : []),
  ].join(' ');
}

/** A value as a literal, after checking it has only the characters such a value has (never echoing it). */
function checked(value: string, pattern: RegExp, what: string): string {
  if (!pattern.test(value)) throw new ConfigError(`${what} has characters that ${what} never has`);
  return `'${value}'`;
}

function s3Literal(url: string): string {
  const controls = [...url].some((c) => c.charCodeAt(0) < 0x20);
  if (controls || !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/[^'\\]+$/.test(url))
    throw new ConfigError(
      `"${url}" cannot be read by COPY (an s3:// address without quotes, backslashes or control characters)`,
    );
  return `'${url}'`;
}
