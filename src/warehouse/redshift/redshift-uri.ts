import type pg from 'pg';
import type { AwsKeys } from '../../connections/index.ts';
import { ConfigError } from '../../errors/index.ts';

/** What a `redshift://` URI says: where the cluster is, and how its COPY reads S3. */
export interface RedshiftSettings {
  readonly connection: pg.PoolConfig;
  /** `redshift://host:port/database`: no user, no secret. */
  readonly location: string;
  /** The role the cluster assumes to read S3 (`iam_role=arn:aws:iam::…:role/…`, or `default`). */
  readonly iamRole?: string;
  /** Keys given in the URI itself (`access_key_id`, `secret_access_key`, `session_token`). */
  readonly keys?: AwsKeys;
  /** The connection holding the keys when there is no role and no keys in the URI. @default 'aws_credentials' */
  readonly awsConnId: string;
  /** The S3 data's region, when it is not the cluster's (COPY's REGION). */
  readonly region?: string;
  /** Whether staging may COPY from S3 (`copy=false` streams objects through the worker). @default true */
  readonly copy: boolean;
}

/**
 * Reads `redshift://user:password@cluster.xxxx.region.redshift.amazonaws.com:5439/dev?iam_role=…
 * &region=…&ssl=true|false|no-verify&aws_conn_id=…&copy=true|false`. TLS is on and verified by
 * default (Redshift's certificates chain to Amazon's public roots).
 */
export function parseRedshiftUri(uri: string): RedshiftSettings {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new ConfigError(
      'the redshift connection is not a valid URI (redshift://user:password@host:5439/dev?…)',
    );
  }
  if (url.protocol !== 'redshift:' || !url.hostname) {
    throw new ConfigError(
      `"${url.protocol}//${url.host}" is not a Redshift URI (redshift://user:password@host:5439/dev)`,
    );
  }
  const q = url.searchParams;
  const ssl = q.get('ssl') ?? 'true';
  if (!['true', 'false', 'no-verify'].includes(ssl))
    throw new ConfigError(`redshift connection: ssl=${ssl} (use true, false or no-verify)`);
  const database = decodeURIComponent(url.pathname.replace(/^\/+/, '')) || 'dev';
  const port = url.port ? Number(url.port) : 5439;
  const accessKeyId = q.get('access_key_id') ?? undefined;
  const secretAccessKey = q.get('secret_access_key') ?? undefined;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined))
    throw new ConfigError('redshift connection: give both access_key_id and secret_access_key, or neither');
  const copy = q.get('copy') ?? 'true';
  if (copy !== 'true' && copy !== 'false')
    throw new ConfigError(`redshift connection: copy=${copy} (use true or false)`);
  return {
    connection: {
      host: url.hostname,
      port,
      database,
      user: decodeURIComponent(url.username) || undefined,
      password: decodeURIComponent(url.password) || undefined,
      ssl: ssl === 'false' ? false : ssl === 'no-verify' ? { rejectUnauthorized: false } : true,
      max: 8,
    },
    location: `redshift://${url.hostname}:${port}/${database}`,
    iamRole: q.get('iam_role') ?? undefined,
    keys:
      accessKeyId && secretAccessKey
        ? { accessKeyId, secretAccessKey, sessionToken: q.get('session_token') ?? undefined }
        : undefined,
    awsConnId: q.get('aws_conn_id') ?? 'aws_credentials',
    region: q.get('region') ?? undefined,
    copy: copy === 'true',
  };
}
