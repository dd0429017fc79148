import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.ts';
import { Connections, redact, s3UriWithAwsKeys } from './index.ts';

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'downbeat-connections-'));
});
afterAll(async () => rm(home, { recursive: true, force: true }));

const connections = (env: Record<string, string>, defaults: Record<string, string> = {}) =>
  new Connections(loadConfig({ DOWNBEAT_HOME: home, ...env }), defaults);

const REDSHIFT = 'redshift://awsuser:Redsh1ftPass@sparkify.abc123.us-west-2.redshift.amazonaws.com:5439/dev';

describe("the Sparkify brief's connection ids", () => {
  it('makes the redshift connection the warehouse when no warehouse connection is defined', () => {
    expect(connections({ DOWNBEAT_CONN_REDSHIFT: REDSHIFT }).uri('warehouse')).toBe(REDSHIFT);
    expect(
      connections({ DOWNBEAT_CONN_REDSHIFT: REDSHIFT }, { warehouse: 'duckdb:///elsewhere.duckdb' }).uri(
        'warehouse',
      ),
    ).toBe(REDSHIFT);
    expect(
      connections({ DOWNBEAT_CONN_REDSHIFT: REDSHIFT, DOWNBEAT_CONN_WAREHOUSE: 'postgres://db/w' }).uri(
        'warehouse',
      ),
    ).toBe('postgres://db/w');
    expect(connections({}).uri('warehouse')).toBe(`duckdb://${join(home, 'warehouse.duckdb')}`);
  });

  it("masks aws_credentials' key id and secret, and the warehouse password, once resolved", () => {
    const resolver = connections({
      DOWNBEAT_CONN_REDSHIFT: REDSHIFT,
      DOWNBEAT_CONN_AWS_CREDENTIALS:
        'aws://AKIAIOSFODNN7EXAMPLE:wJalr%2FXUtnFEMI%2BK7MDENG@/?region_name=us-west-2',
    });
    resolver.uri('warehouse');
    resolver.uri('aws_credentials');
    expect(
      redact(
        'COPY … ACCESS_KEY_ID AKIAIOSFODNN7EXAMPLE SECRET wJalr/XUtnFEMI+K7MDENG as awsuser:Redsh1ftPass',
      ),
    ).toBe('COPY … ACCESS_KEY_ID *** SECRET *** as awsuser:***');
  });

  it('gives an AWS S3 store without keys the keys and region of aws_credentials', () => {
    const aws = 'aws://AKIAIOSFODNN7EXAMPLE:wJalr%2FXUtnFEMI@/?region_name=us-west-2';
    expect(s3UriWithAwsKeys('s3://udacity-dend', aws)).toBe(
      's3://udacity-dend?access_key_id=AKIAIOSFODNN7EXAMPLE&secret_access_key=wJalr%2FXUtnFEMI&region=us-west-2',
    );
    expect(s3UriWithAwsKeys('s3://b/p?region=eu-west-1', aws)).toContain('region=eu-west-1');
    expect(s3UriWithAwsKeys('s3://b/p?access_key_id=K&secret_access_key=S', aws)).toBe(
      's3://b/p?access_key_id=K&secret_access_key=S',
    );
    expect(s3UriWithAwsKeys('s3://b/p?endpoint=http%3A%2F%2F127.0.0.1%3A9000', aws)).toBe(
      's3://b/p?endpoint=http%3A%2F%2F127.0.0.1%3A9000',
    );
  });
});
