/**
 * For tests: OpenStack Swift with its S3 API (s3api + tempauth) on loopback, from Debian's packages
 * (`apt-get install swift-proxy swift-account swift-container swift-object`). Unlike fauxqs, it
 * checks every request's SigV4 signature, so a wrong secret is refused as AWS would refuse it.
 * One proxy, one account, container and object server each, one device in a temporary folder.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

const BIN = '/usr/bin';
const SERVERS = ['object', 'container', 'account'] as const;

/** Why Swift cannot run here, or undefined when it can. */
export function swiftMissing(): string | undefined {
  const missing = ['swift-proxy-server', ...SERVERS.map((s) => `swift-${s}-server`)].filter(
    (bin) => !existsSync(join(BIN, bin)),
  );
  return missing.length === 0
    ? undefined
    : `${missing.join(', ')} not installed (apt-get install swift-proxy swift-account swift-container swift-object)`;
}

export interface SwiftS3 {
  /** `http://127.0.0.1:PORT`, the S3 API. */
  readonly endpoint: string;
  /** tempauth's user `test:tester`, whose key is `testing`. */
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Creates a bucket with the right credentials, waiting for the servers behind the proxy. */
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A port no one listens on, below Linux's ephemeral range (32768-60999): a port the system hands
 * out can be taken by any outgoing connection before Swift binds it, and a server that cannot bind
 * leaves the proxy answering 503 to everything.
 */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const server = createServer();
    const bound = await new Promise<boolean>((done) => {
      server.once('error', () => done(false));
      server.listen(port, '127.0.0.1', () => done(true));
    });
    if (!bound) continue;
    await new Promise((done) => server.close(done));
    return port;
  }
}

export async function startSwiftS3(): Promise<SwiftS3> {
  const root = await mkdtemp(join(tmpdir(), 'downbeat-swift-'));
  const etc = join(root, 'etc');
  const devices = join(root, 'srv');
  await mkdir(etc);
  await mkdir(join(devices, 'd1'), { recursive: true });
  const ports = { object: await freePort(), container: await freePort(), account: await freePort() };
  const proxyPort = await freePort();
  const user = userInfo().username;
  const common = `bind_ip = 127.0.0.1\nworkers = 0\nuser = ${user}\nswift_dir = ${etc}\nlog_level = ERROR\n`;

  await writeFile(
    join(etc, 'swift.conf'),
    '[swift-hash]\nswift_hash_path_suffix = downbeat\nswift_hash_path_prefix = downbeat\n' +
      '[storage-policy:0]\nname = Policy-0\ndefault = yes\n',
  );
  for (const server of SERVERS) {
    await writeFile(
      join(etc, `${server}-server.conf`),
      `[DEFAULT]\n${common}bind_port = ${ports[server]}\ndevices = ${devices}\nmount_check = false\n` +
        `[pipeline:main]\npipeline = ${server}-server\n[app:${server}-server]\nuse = egg:swift#${server}\n`,
    );
  }
  // Filter → egg. s3api and tempauth need the cache in the request (no memcached runs: it stays empty).
  const filters = {
    catch_errors: 'catch_errors',
    gatekeeper: 'gatekeeper',
    healthcheck: 'healthcheck',
    proxy_logging: 'proxy_logging',
    cache: 'memcache',
    listing_formats: 'listing_formats',
  };
  await writeFile(
    join(etc, 'proxy-server.conf'),
    `[DEFAULT]\n${common}bind_port = ${proxyPort}\n` +
      `[pipeline:main]\npipeline = ${Object.keys(filters).join(' ')} s3api tempauth proxy-server\n` +
      '[app:proxy-server]\nuse = egg:swift#proxy\naccount_autocreate = true\n' +
      '[filter:tempauth]\nuse = egg:swift#tempauth\nuser_test_tester = testing .admin\n' +
      '[filter:s3api]\nuse = egg:swift#s3api\nlocation = us-east-1\n' +
      Object.entries(filters)
        .map(([name, egg]) => `[filter:${name}]\nuse = egg:swift#${egg}\n`)
        .join(''),
  );
  // The three rings, one device each, in one Python call (swift-ring-builder would take nine).
  const rings = SERVERS.map(
    (s) =>
      `b = RingBuilder(6, 1, 1); b.add_dev({'id': 0, 'region': 1, 'zone': 1, 'ip': '127.0.0.1', ` +
      `'port': ${ports[s]}, 'device': 'd1', 'weight': 1}); b.rebalance(); ` +
      `b.get_ring().save('${join(etc, `${s}.ring.gz`)}')`,
  );
  const built = spawnSync(
    join(BIN, 'python3'),
    ['-c', ['from swift.common.ring import RingBuilder', ...rings].join('\n')],
    { encoding: 'utf8' },
  );
  if (built.status !== 0) throw new Error(`building Swift's rings failed: ${built.stderr}`);

  const children: ChildProcess[] = [];
  const output: string[] = [];
  for (const server of [...SERVERS, 'proxy'] as const) {
    const child = spawn(join(BIN, `swift-${server}-server`), [join(etc, `${server}-server.conf`)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => output.push(`${server}: ${chunk.toString('utf8')}`);
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    children.push(child);
  }
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      ),
    );
    await rm(root, { recursive: true, force: true });
  };

  const endpoint = `http://127.0.0.1:${proxyPort}`;
  // Its servers start slowly on a busy machine (Python imports); a server that stopped is reported.
  const stopped = () => children.some((c) => c.exitCode !== null || c.signalCode !== null);
  const failed = (why: string, cause?: unknown) =>
    new Error(`Swift ${why}:\n${output.join('') || '(no output)'}`, { cause });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await fetch(`${endpoint}/healthcheck`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline || stopped()) {
      await stop();
      throw failed('did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const credentials = { accessKeyId: 'test:tester', secretAccessKey: 'testing' };
  const createBucket = async (name: string) => {
    const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
    const until = Date.now() + 45_000;
    try {
      for (;;) {
        try {
          await client.send(new CreateBucketCommand({ Bucket: name }));
          return;
        } catch (error) {
          // The account and container servers may still be starting behind the proxy.
          if (stopped()) throw failed(`stopped while creating bucket ${name}`);
          if (Date.now() > until) throw failed(`did not create bucket ${name}`, error);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    } finally {
      client.destroy();
    }
  };
  return { endpoint, ...credentials, createBucket, stop };
}
