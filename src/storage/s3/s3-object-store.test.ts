import { randomBytes } from 'node:crypto';
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectStoreContract } from '../../ports/object-store-contract.ts';
import { ObjectNotFoundError } from '../../ports/index.ts';
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
  it('streams a put of unknown length (multipart) and reports a missing bucket clearly', async () => {
    const store = freshStore();
    async function* big() {
      for (let i = 0; i < 7; i += 1) yield new Uint8Array(1024 * 1024).fill(65 + i);
    }
    const put = await store.put('big.bin', big());
    expect(put.size).toBe(7 * 1024 * 1024);
    let total = 0;
    for await (const chunk of (await store.get('big.bin')).body) total += chunk.length;
    expect(total).toBe(7 * 1024 * 1024);
    const missing = S3ObjectStore.fromUri(
      `s3://no-such-bucket/x?endpoint=${encodeURIComponent(server.address)}&access_key_id=t&secret_access_key=t`,
    );
    await expect(missing.get('a.json')).rejects.toBeInstanceOf(ObjectNotFoundError);
  });
});
