import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveUi } from './static-ui.ts';

let root: string;
let app: Hono;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'downbeat-ui-root-'));
  await mkdir(join(root, 'dist', 'assets'), { recursive: true });
  await writeFile(join(root, 'dist', 'index.html'), '<!doctype html><title>app</title>');
  await writeFile(join(root, 'dist', 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(root, 'secret.txt'), 'outside the UI root');
  app = new Hono();
  app.get('*', serveUi(join(root, 'dist')));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('serving the built UI', () => {
  it('serves assets with their type and long caching, and index.html for UI routes', async () => {
    const asset = await app.request('/assets/app.js');
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await (await app.request('/dags/sparkify_etl/grid')).text()).toContain('<title>app</title>');
    expect((await app.request('/assets/missing.js')).status).toBe(404);
  });

  it('never serves a file outside its root, however the path is written', async () => {
    for (const path of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
    ]) {
      const response = await app.request(path);
      expect(await response.text(), path).not.toContain('outside the UI root');
    }
    expect((await app.request('/%E0%A4%A')).status).toBe(400);
  });

  it('says how to build the UI when there is no build', async () => {
    const bare = new Hono();
    bare.get('*', serveUi(undefined));
    const response = await bare.request('/');
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build:web');
  });
});
