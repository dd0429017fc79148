import { ConfigError } from '../errors/index.ts';

/** Static AWS keys for COPY (Airflow's `aws_credentials` connection: login = key id, password = secret). */
export interface AwsKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/**
 * Reads the AWS keys of a connection, in Airflow's URI form `aws://KEY_ID:SECRET@/?region_name=…`
 * (the secret percent-encoded) or as `aws://?access_key_id=…&secret_access_key=…`; an optional
 * `session_token` (or `aws_session_token`) for temporary keys.
 */
export function parseAwsKeys(uri: string, connectionId: string): AwsKeys & { region?: string } {
  const match = /^aws:\/\/(?:([^:@/?#]*):([^@/?#]*)@)?[^/?#]*\/?(?:\?([^#]*))?$/i.exec(uri);
  if (!match) {
    throw new ConfigError(
      `connection "${connectionId}" is not an AWS URI: use aws://ACCESS_KEY_ID:SECRET_ACCESS_KEY@/?region_name=REGION (the secret percent-encoded)`,
    );
  }
  const q = new URLSearchParams(match[3] ?? '');
  const accessKeyId = match[1] ? decodeURIComponent(match[1]) : (q.get('access_key_id') ?? '');
  const secretAccessKey = match[2] ? decodeURIComponent(match[2]) : (q.get('secret_access_key') ?? '');
  if (!accessKeyId || !secretAccessKey) {
    throw new ConfigError(
      `connection "${connectionId}" has no access key id and secret (aws://ACCESS_KEY_ID:SECRET_ACCESS_KEY@/)`,
    );
  }
  return {
    accessKeyId,
    secretAccessKey,
    sessionToken: q.get('session_token') ?? q.get('aws_session_token') ?? undefined,
    region: q.get('region_name') ?? q.get('region') ?? undefined,
  };
}
