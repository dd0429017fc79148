import { randomBytes } from 'node:crypto';
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectStoreContract } from '../../ports/object-store-contract.ts';
import { loadConfig } from '../../config/index.ts';
import { Connections, SecretBox } from '../../connections/index.ts';
import { BucketNotFoundError, ConfigError } from '../../errors/index.ts';
import { ObjectKeyNotFoundError } from '../../ports/index.ts';
import { S3ObjectStore } from './s3-object-store.ts';

// An S3-protocol server in this process, on loopback (fauxqs).
let server: Awaited<ReturnType<typeof startFauxqs>>;
const BUCKET = 'downbeat-test';
beforeAll(async () => {
  server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  server.createBucket(BUCKET);
});
afterAll(async () => server.stop());

/** A store under a fresh prefix of the test bucket: each test starts empty. */
function freshStore(): S3ObjectStore {
  return S3ObjectStore.fromUri(
    `s3://${BUCKET}/run-${randomBytes(4).toString('hex')}?endpoint=${encodeURIComponent(server.address)}&access_key_id=test&secret_access_key=test`,
  );
}

objectStoreContract('s3 (fauxqs on loopback)', () => Promise.resolve(freshStore()));

describe('S3ObjectStore', () => {
  it('streams a put of unknown length (multipart)', async () => {
    const store = freshStore();
    async function* big() {
      for (let i = 0; i < 7; i += 1) yield new Uint8Array(1024 * 1024).fill(65 + i);
    }
    const put = await store.put('big.bin', big());
    expect(put.size).toBe(7 * 1024 * 1024);
    let total = 0;
    for await (const chunk of (await store.get('big.bin')).body) total += chunk.length;
    expect(total).toBe(7 * 1024 * 1024);
  });

  it('says a missing bucket is missing, for every operation, at once and without the secret', async () => {
    const secret = 'Sup3r-Secret-Access-Key';
    const missing = S3ObjectStore.fromUri(
      `s3://no-such-bucket/in?endpoint=${encodeURIComponent(server.address)}&access_key_id=t&secret_access_key=${secret}`,
    );
    const attempts = [
      () => missing.stat('log_data/2018-11-15.json'),
      () => missing.get('log_data/2018-11-15.json'),
      () => missing.put('log_data/2018-11-15.json', 'x'),
      async () => {
        for await (const _ of missing.list('log_data/'));
      },
    ];
    for (const attempt of attempts) {
      const error = (await attempt().catch((e: unknown) => e)) as BucketNotFoundError;
      expect(error).toBeInstanceOf(BucketNotFoundError);
      expect(error.code).toBe('object_store_not_found');
      expect(error.bucket).toBe('no-such-bucket');
      expect(error.message).toMatch(
        new RegExp(
          `^bucket "no-such-bucket" does not exist at ${server.address.replaceAll('.', '\\.')} \\(reading in/log_data/.*\\): ` +
            `check the bucket in the connection's URI \\(s3://BUCKET/prefix\\) and its endpoint and region, or create the bucket$`,
        ),
      );
      expect(error.message).not.toContain(secret);
    }
  });

  it('tells a missing key from a missing bucket: stat gives undefined, get names the key, bucket and endpoint', async () => {
    const store = freshStore();
    expect(await store.stat('log_data/2018-11-15.json')).toBeUndefined();
    const error = (await store
      .get('log_data/2018-11-15.json')
      .catch((e: unknown) => e)) as ObjectKeyNotFoundError;
    expect(error).toBeInstanceOf(ObjectKeyNotFoundError);
    expect(error.code).toBe('object_not_found');
    expect(error.message).toBe(
      `log_data/2018-11-15.json not found in ${store.location} at ${server.address}`,
    );
  });
});

describe('an S3 connection kept in the metadata DB', () => {
  it('opened with another DOWNBEAT_SECRET_KEY, is an error that names it and shows no secret', async () => {
    const secret = 'Kept-Secret-Access-Key';
    const uri = `s3://${BUCKET}/x?endpoint=${encodeURIComponent(server.address)}&access_key_id=k&secret_access_key=${secret}`;
    const sealed = SecretBox.fromConfig('the key it was stored with', '/nonexistent').seal(uri);
    const wrong = SecretBox.fromConfig('another key', '/nonexistent');
    const connections = new Connections(
      loadConfig({ DOWNBEAT_HOME: '/nonexistent' }),
      {},
      new Map([['sparkify_source', () => wrong.open(sealed, 'connection "sparkify_source"')]]),
    );
    const error = (await connections.objectStore('sparkify_source').catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      'cannot decrypt connection "sparkify_source": it was stored with another secret key ' +
        '(DOWNBEAT_SECRET_KEY, or DOWNBEAT_HOME/secret.key when unset)',
    );
    expect(error.message).not.toContain(secret);
  });
});
