/**
 * Wrong credentials against a server that checks SigV4 signatures: OpenStack Swift's S3 API, from
 * Debian's packages, on loopback. fauxqs accepts any credentials ("never validated", its README
 * says), so it cannot show this. Without Swift installed these tests fail and say how to install
 * it (`.ci/run` does); like PostgreSQL's, they are never skipped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectStoreAuthError } from '../../errors/index.ts';
import { S3ObjectStore } from './s3-object-store.ts';
import { startSwiftS3, swiftMissing, type SwiftS3 } from './testing-swift.ts';

const missing = swiftMissing();

const BUCKET = 'sparkify-source';
let swift: SwiftS3;
beforeAll(async () => {
  if (missing) throw new Error(`The S3 credential tests need OpenStack Swift and cannot run: ${missing}`);
  swift = await startSwiftS3();
  await swift.createBucket(BUCKET);
}, 90_000);
afterAll(async () => swift?.stop());

const store = (accessKeyId: string, secretAccessKey: string) =>
  S3ObjectStore.fromUri(
    `s3://${BUCKET}/in?endpoint=${encodeURIComponent(swift.endpoint)}` +
      `&access_key_id=${encodeURIComponent(accessKeyId)}&secret_access_key=${encodeURIComponent(secretAccessKey)}`,
  );

describe('S3ObjectStore against a signature-checking server (Swift s3api)', () => {
  it('works with the right credentials', async () => {
    const right = store(swift.accessKeyId, swift.secretAccessKey);
    await right.put('log_data/2018-11-15.json', '{"ts":1}\n');
    expect((await right.stat('log_data/2018-11-15.json'))?.size).toBe(9);
    await right.close();
  });

  it('refuses a wrong secret at once with object_store_auth, naming bucket, key and endpoint, never the secret', async () => {
    const secret = 'Wr0ng-Secret-Access-Key';
    const wrong = store(swift.accessKeyId, secret);
    for (const attempt of [
      () => wrong.get('log_data/2018-11-15.json'),
      () => wrong.stat('log_data/2018-11-15.json'),
      async () => {
        for await (const _ of wrong.list('log_data/'));
      },
    ]) {
      const error = (await attempt().catch((e: unknown) => e)) as ObjectStoreAuthError;
      expect(error).toBeInstanceOf(ObjectStoreAuthError);
      expect(error.code).toBe('object_store_auth');
      expect(error.message).toMatch(
        new RegExp(
          `^access to s3://${BUCKET}/in/log_data/\\S* at ${swift.endpoint.replaceAll('.', '\\.')} was refused \\(403`,
        ),
      );
      expect(error.message).toContain("check the connection's access_key_id and secret_access_key");
      expect(error.message).not.toContain(secret);
      // Not retried: a refusal does not pass by itself.
      expect((error.cause as { $metadata?: { attempts?: number } }).$metadata?.attempts).toBe(1);
    }
    const get = (await wrong.get('log_data/2018-11-15.json').catch((e: unknown) => e)) as Error;
    expect(get.message).toContain('(403 SignatureDoesNotMatch)');
    await wrong.close();
  });

  it('refuses an unknown access key the same way', async () => {
    const unknown = store('nobody:none', 'whatever-secret');
    const error = (await unknown.get('log_data/2018-11-15.json').catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(ObjectStoreAuthError);
    expect(error.message).not.toContain('whatever-secret');
    await unknown.close();
  });
});
