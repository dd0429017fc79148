/**
 * What the S3 store does when the server is not there, fails, throttles or breaks a read: the
 * retry policy (transient failures are retried, refusals are not) and the errors a person reads.
 * The servers here are plain HTTP servers on loopback that answer as S3 would.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ObjectStoreAuthError,
  ObjectStoreRequestError,
  ObjectStoreUnavailableError,
  ObjectStoreUnreachableError,
} from '../../errors/index.ts';
import { S3ObjectStore } from './s3-object-store.ts';
import { s3Failure } from './s3-failure.ts';

const SECRET = 'wJalrXUtnFEMI-never-in-a-message';
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
});

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** An HTTP server on loopback; returns its endpoint. */
async function serve(handler: Handler): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port on loopback with nothing listening. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

const store = (endpoint: string, bucket = 'sparkify') =>
  S3ObjectStore.fromUri(
    `s3://${bucket}/in?endpoint=${encodeURIComponent(endpoint)}&access_key_id=AKIATEST&secret_access_key=${encodeURIComponent(SECRET)}`,
  );

const s3Error = (res: ServerResponse, status: number, code: string) => {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`,
  );
};

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  if (!error) throw new Error('expected a failure');
  expect(error.message).not.toContain(SECRET);
  return error;
}

describe('S3ObjectStore when the server is not there or failing', () => {
  it('retries a refused connection, then says which endpoint, bucket and key it could not reach', async () => {
    const port = await closedPort();
    const error = await failure(store(`http://127.0.0.1:${port}`).stat('log_data/2018-11-15.json'));
    expect(error).toBeInstanceOf(ObjectStoreUnreachableError);
    expect((error as ObjectStoreUnreachableError).code).toBe('object_store_unreachable');
    expect(error.message).toBe(
      `cannot reach s3://sparkify/in/log_data/2018-11-15.json at http://127.0.0.1:${port} ` +
        `(ECONNREFUSED after 4 attempts): check that the server is running and that the connection's ` +
        `endpoint (host and port) is right; the task's retries will try again`,
    );
    const listing = await failure(
      (async () => {
        for await (const _ of store(`http://127.0.0.1:${port}`).list('log_data/'));
      })(),
    );
    expect(listing).toBeInstanceOf(ObjectStoreUnreachableError);
  });

  it('retries 5xx answers (4 attempts), then fails as unavailable; succeeds when the server recovers', async () => {
    let requests = 0;
    const always = await serve((_req, res) => {
      requests += 1;
      s3Error(res, 500, 'InternalError');
    });
    const error = await failure(store(always).get('a.json'));
    expect(error).toBeInstanceOf(ObjectStoreUnavailableError);
    expect((error as ObjectStoreUnavailableError).code).toBe('object_store_unavailable');
    expect(error.message).toMatch(
      /^s3:\/\/sparkify\/in\/a\.json at http:\/\/127\.0\.0\.1:\d+ is unavailable/,
    );
    expect(error.message).toContain('(500 InternalError after 4 attempts)');
    expect(requests).toBe(4);

    let calls = 0;
    const flaky = await serve((req, res) => {
      calls += 1;
      if (calls <= 2) return s3Error(res, 503, 'ServiceUnavailable');
      res.writeHead(200, { 'content-length': '3', etag: '"abc"', 'last-modified': new Date().toUTCString() });
      res.end(req.method === 'HEAD' ? undefined : 'abc');
    });
    expect((await store(flaky).stat('a.json'))?.size).toBe(3);
    expect(calls).toBe(3);
  });

  it('fails at once, without retrying, when the server refuses the credentials (403)', async () => {
    let requests = 0;
    const endpoint = await serve((_req, res) => {
      requests += 1;
      s3Error(res, 403, 'InvalidAccessKeyId');
    });
    const error = await failure(store(endpoint).get('log_data/a.json'));
    expect(error).toBeInstanceOf(ObjectStoreAuthError);
    expect((error as ObjectStoreAuthError).code).toBe('object_store_auth');
    expect(error.message).toBe(
      `access to s3://sparkify/in/log_data/a.json at ${endpoint} was refused (403 InvalidAccessKeyId): ` +
        `check the connection's access_key_id and secret_access_key (or the AWS credentials this ` +
        `process finds), and that they may read bucket "sparkify"`,
    );
    expect(requests).toBe(1);
    // A HEAD's 403 has no body: the status alone says it.
    requests = 0;
    expect(await failure(store(endpoint).stat('a.json'))).toBeInstanceOf(ObjectStoreAuthError);
    expect(requests).toBe(1);
  });

  it('names the object when the connection breaks while its body is read', async () => {
    const endpoint = await serve((_req, res) => {
      res.writeHead(200, {
        'content-length': '1000',
        etag: '"e"',
        'last-modified': new Date().toUTCString(),
      });
      res.write('{"ts": 1}\n');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const object = await store(endpoint).get('log_data/2018-11-15.json');
    const error = await failure(
      (async () => {
        for await (const _ of object.body);
      })(),
    );
    expect(error).toBeInstanceOf(ObjectStoreUnreachableError);
    expect(error.message).toMatch(
      /^cannot reach s3:\/\/sparkify\/in\/log_data\/2018-11-15\.json at http:\/\/127\.0\.0\.1:\d+ \(the connection broke while the object was read: /,
    );
  });
});

describe('s3Failure', () => {
  const target = { bucket: 'b', key: 'k', endpoint: 'http://s3.local' };
  const sdkError = (name: string, status?: number, extra: object = {}) =>
    Object.assign(new Error(name), {
      name,
      $metadata: { httpStatusCode: status, attempts: status === undefined ? 4 : 1 },
      ...extra,
    });

  it('sorts SDK errors into the codes a person and the API read', () => {
    const code = (error: unknown) => (s3Failure(error, target) as { code?: string }).code;
    expect(code(sdkError('SignatureDoesNotMatch', 403))).toBe('object_store_auth');
    expect(code(sdkError('ExpiredToken', 400))).toBe('object_store_auth');
    expect(code(sdkError('CredentialsProviderError'))).toBe('object_store_auth');
    expect(code(sdkError('NoSuchBucket', 404))).toBe('object_store_not_found');
    expect(code(sdkError('NotFound', 404))).toBe('object_store_request'); // the caller decides: key or bucket
    expect(s3Failure(sdkError('NotFound', 404), target, { notFound: 'bucket' })).toMatchObject({
      code: 'object_store_not_found',
    });
    expect(code(sdkError('SlowDown', 503))).toBe('object_store_unavailable');
    expect(code(sdkError('TooManyRequests', 429))).toBe('object_store_unavailable');
    expect(code(sdkError('TimeoutError'))).toBe('object_store_unreachable');
    expect(code(sdkError('Error', undefined, { code: 'ENOTFOUND' }))).toBe('object_store_unreachable');
    expect(code(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]))).toBe(
      'object_store_unreachable',
    );
    expect(s3Failure(sdkError('PermanentRedirect', 301), target)).toBeInstanceOf(ObjectStoreRequestError);
  });

  it('lets cancellations and errors of its own through unchanged', () => {
    const abort = Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    expect(s3Failure(abort, target)).toBe(abort);
    const own = new ObjectStoreAuthError(target, 'x');
    expect(s3Failure(own, target)).toBe(own);
  });
});
