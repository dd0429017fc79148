/**
 * Chromium for the browser tests (Debian's package, driven by playwright-core; missing, it fails
 * loudly), and the server they look at.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { linkDownbeat } from '../../src/app/testing.ts';

const REPO = new URL('../../', import.meta.url).pathname;

export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'The browser tests need Chromium and cannot run without it: apt-get install -y chromium (or set CHROMIUM_PATH).',
    );
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** A `standalone` on its own DOWNBEAT_HOME with a DAGs folder of the given files, and a page on it. */
export interface UiSession {
  readonly root: string;
  /** Where the screenshots go (printed, to be looked at). */
  readonly shots: string;
  readonly url: string;
  readonly browser: Browser;
  readonly page: Page;
  /** What the server printed so far. */
  output(): string;
  /** Closes the browser, stops the server (SIGTERM) and removes the folder. */
  close(): Promise<void>;
}

/**
 * Starts `downbeat standalone --port 0` in a temp folder with these DAG files (the downbeat
 * package linked in) and the first admin given, waits for its URL, and opens Chromium on a
 * 1280x900 page. `env` may name paths in the folder.
 */
export async function openUiSession(options: {
  readonly prefix: string;
  readonly dags: Readonly<Record<string, string>>;
  readonly user: string;
  readonly password: string;
  readonly env?: (root: string) => Readonly<Record<string, string>>;
}): Promise<UiSession> {
  const root = await mkdtemp(join(tmpdir(), options.prefix));
  const shots = join(tmpdir(), 'downbeat-ui-screenshots');
  await mkdir(shots, { recursive: true });
  const dags = join(root, 'dags');
  await mkdir(dags);
  await linkDownbeat(dags);
  for (const [name, text] of Object.entries(options.dags)) await writeFile(join(dags, name), text);
  const server = spawn(process.execPath, [join(REPO, 'bin/downbeat.js'), 'standalone', '--port', '0'], {
    env: {
      ...process.env,
      DOWNBEAT_HOME: join(root, 'home'),
      DOWNBEAT_DAGS_FOLDER: dags,
      DOWNBEAT_ADMIN_USER: options.user,
      DOWNBEAT_ADMIN_PASSWORD: options.password,
      ...options.env?.(root),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const close = async () => {
    await browser?.close();
    if (server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    await rm(root, { recursive: true, force: true });
  };
  let browser: Browser | undefined;
  try {
    const deadline = Date.now() + 120_000;
    let url: string | undefined;
    while (!(url = /web UI (http:\/\/[\d.:]+)/.exec(output)?.[1])) {
      if (Date.now() > deadline || server.exitCode !== null)
        throw new Error(`standalone printed no URL:\n${output.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    process.stdout.write(`UI screenshots: ${shots}\n`);
    return { root, shots, url, browser, page, output: () => output, close };
  } catch (error) {
    await close();
    throw error;
  }
}
