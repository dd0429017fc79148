import { describe, expect, it } from 'vitest';
import { parseAwsKeys } from '../../connections/index.ts';
import { parseRedshiftUri } from './redshift-uri.ts';

describe('redshift:// connection URIs', () => {
  it('reads the cluster, the role and region for COPY, with TLS verified by default', () => {
    const settings = parseRedshiftUri(
      'redshift://awsuser:p%40ss@sparkify.abc123.us-west-2.redshift.amazonaws.com:5439/dev?iam_role=arn:aws:iam::123456789012:role/downbeat-copy&region=us-west-2',
    );
    expect(settings).toMatchObject({
      connection: {
        host: 'sparkify.abc123.us-west-2.redshift.amazonaws.com',
        port: 5439,
        database: 'dev',
        user: 'awsuser',
        password: 'p@ss',
        ssl: true,
      },
      location: 'redshift://sparkify.abc123.us-west-2.redshift.amazonaws.com:5439/dev',
      iamRole: 'arn:aws:iam::123456789012:role/downbeat-copy',
      region: 'us-west-2',
      awsConnId: 'aws_credentials',
      copy: true,
    });
    expect(settings.location).not.toContain('p@ss');
  });

  it('defaults the port and database, and reads ssl, copy, keys and another AWS connection id', () => {
    const settings = parseRedshiftUri(
      'redshift://u@host?ssl=no-verify&copy=false&aws_conn_id=my_aws&access_key_id=AKIAIOSFODNN7EXAMPLE&secret_access_key=wJalrXUtnFEMI%2FK7MDENG',
    );
    expect(settings.connection).toMatchObject({
      port: 5439,
      database: 'dev',
      ssl: { rejectUnauthorized: false },
    });
    expect(settings).toMatchObject({
      copy: false,
      awsConnId: 'my_aws',
      keys: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG' },
    });
    expect(parseRedshiftUri('redshift://u@host:5432/db?ssl=false').connection.ssl).toBe(false);
  });

  it('says what is wrong without repeating a secret', () => {
    expect(() => parseRedshiftUri('redshift://u:hunter22@host/dev?ssl=maybe')).toThrow(/ssl=maybe/);
    expect(() => parseRedshiftUri('redshift://u:hunter22@host/dev?access_key_id=AKIA')).toThrow(
      /both access_key_id and secret_access_key/,
    );
    expect(() => parseRedshiftUri('postgres://u:hunter22@host/dev')).toThrow(/not a Redshift URI/);
    expect(() => parseRedshiftUri('postgres://u:hunter22@host/dev')).not.toThrow(/hunter22/);
  });
});

describe('aws_credentials connection URIs', () => {
  it("reads Airflow's form (login = key id, password = secret) and the query form", () => {
    expect(
      parseAwsKeys(
        'aws://AKIAIOSFODNN7EXAMPLE:wJalr%2FXUtnFEMI%2BK7MDENG@/?region_name=us-west-2',
        'aws_credentials',
      ),
    ).toEqual({
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalr/XUtnFEMI+K7MDENG',
      sessionToken: undefined,
      region: 'us-west-2',
    });
    expect(
      parseAwsKeys(
        'aws://?access_key_id=AKIAIOSFODNN7EXAMPLE&secret_access_key=abcdabcdabcdabcd&session_token=tok',
        'x',
      ),
    ).toMatchObject({
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'abcdabcdabcdabcd',
      sessionToken: 'tok',
    });
  });

  it('names the connection when it is not usable', () => {
    expect(() => parseAwsKeys('s3://bucket', 'aws_credentials')).toThrow(
      /"aws_credentials" is not an AWS URI/,
    );
    expect(() => parseAwsKeys('aws://@/', 'aws_credentials')).toThrow(/has no access key id and secret/);
  });
});
