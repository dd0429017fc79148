/**
 * The graph view of a 500-task DAG (the bench's synthetic one: 20 layers of 25, each task waiting
 * for two of the layer before) in a real Chromium: laid out off the main thread, no two nodes
 * overlapping, every task right of its upstream, labels at a readable size. Screenshots of it at
 * 100% and fitted are written to the folder printed.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openUiSession, type UiSession } from './browser.ts';

const USER = 'grapher';
const PASSWORD = 'five-hundred-tasks';
const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

const BIG_DAG = `import { dag, noop } from 'downbeat';

export default dag({ id: 'bench_500', schedule: null, startDate: '2018-11-01' }, (d) => {
  for (let l = 0; l < 20; l += 1)
    for (let i = 0; i < 25; i += 1)
      d.task(\`l\${l}_t\${i}\`, noop(), {
        upstream: l === 0 ? [] : [\`l\${l - 1}_t\${i}\`, \`l\${l - 1}_t\${(i + 1) % 25}\`],
      });
});
`;

let session: UiSession;
let url: string;
let page: Page;
let shots: string;

beforeAll(async () => {
  session = await openUiSession({
    prefix: 'downbeat-graph-',
    dags: { 'big.dag.ts': BIG_DAG },
    user: USER,
    password: PASSWORD,
  });
  ({ url, page, shots } = session);
}, 150_000);

afterAll(() => session?.close());

/** The little of the DOM these checks read (this tsconfig has no DOM types). */
interface Rect {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly height: number;
}
interface Drawn {
  getAttribute(name: string): string | null;
  querySelector(selector: string): Drawn | null;
  getBoundingClientRect(): Rect;
  readonly scrollLeft: number;
  readonly clientWidth: number;
}

/** Each node's box on the page, as drawn. */
const boxes = () =>
  page.locator('[data-testid="graph-node"]').evaluateAll((nodes: Drawn[]) =>
    nodes.map((node) => {
      const box = (node.querySelector('.node-box') as Drawn).getBoundingClientRect();
      return {
        id: node.getAttribute('data-task-id') ?? '',
        left: box.left,
        top: box.top,
        right: box.right,
        bottom: box.bottom,
      };
    }),
  );

describe('the graph view of a 500-task DAG', () => {
  it('lays it out in a worker, readable at 100%, no two nodes overlapping, upstream to the left', async () => {
    await page.goto(`${url}/login`);
    await page.getByLabel('User name').fill(USER);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('username').waitFor();

    // The main thread's long tasks while the page loads: the layout itself is not among them.
    await page.addInitScript({
      content: `globalThis.longTasks = [];
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) globalThis.longTasks.push(entry.duration);
        }).observe({ type: 'longtask', buffered: true });`,
    });
    await page.goto(`${url}/dags/bench_500/graph`);
    await expect.poll(() => page.getByTestId('graph-node').count(), { timeout: 60_000 }).toBe(500);
    const longest = await page.evaluate(() =>
      Math.round(Math.max(0, ...(globalThis as unknown as { longTasks: number[] }).longTasks)),
    );
    process.stdout.write(`longest main-thread task while the 500-task graph loaded: ${longest} ms\n`);
    // A run started while the page is open: the states come in by the page's polling.
    for (const [path, method, body] of [
      ['/api/v1/dags/bench_500', 'PATCH', { is_paused: false }],
      ['/api/v1/dags/bench_500/dagRuns', 'POST', { logical_date: '2018-11-02T00:00:00Z' }],
    ] as const) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: AUTH, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect([path, response.status]).toEqual([path, method === 'POST' ? 201 : 200]);
    }
    await expect
      .poll(() => page.locator('[data-testid="graph-node"][data-state="success"]').count(), {
        timeout: 60_000,
      })
      .toBeGreaterThanOrEqual(25);
    const ms = Number(await page.getByTestId('graph-layout').getAttribute('data-layout-ms'));
    process.stdout.write(`graph layout of 500 tasks in the worker: ${ms} ms\n`);
    expect(ms).toBeGreaterThan(0);
    // Fitted to 1280 px its labels would be too small: it opens at 100%, to scroll and drag.
    expect(await page.getByTestId('graph-zoom').textContent()).toBe('100%');
    const labelHeight = await page
      .locator('[data-testid="graph-node"] .node-label')
      .first()
      .evaluate((label: Drawn) => label.getBoundingClientRect().height);
    expect(labelHeight).toBeGreaterThanOrEqual(11);
    await page.screenshot({ path: join(shots, 'graph-500-100.png') });

    const placed = await boxes();
    expect(new Set(placed.map((box) => box.id)).size).toBe(500);
    const overlapping: string[] = [];
    for (const [i, a] of placed.entries())
      for (const b of placed.slice(i + 1))
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
          overlapping.push(`${a.id} × ${b.id}`);
    expect(overlapping).toEqual([]);
    const at = new Map(placed.map((box) => [box.id, box]));
    const backwards: string[] = [];
    for (let l = 1; l < 20; l += 1)
      for (let i = 0; i < 25; i += 1) {
        const task = at.get(`l${l}_t${i}`);
        for (const up of [`l${l - 1}_t${i}`, `l${l - 1}_t${(i + 1) % 25}`]) {
          const from = at.get(up);
          if (!task || !from || from.right >= task.left) backwards.push(`${up} → l${l}_t${i}`);
        }
      }
    expect(backwards).toEqual([]);
    expect(await page.locator('.graph .edge').count()).toBe(19 * 25 * 2);

    // Pointing at a task lights its own edges, two in and two out, and dims the rest.
    await page.locator('[data-testid="graph-node"][data-task-id="l1_t4"]').hover();
    await expect.poll(() => page.locator('.graph .edge.lit').count()).toBe(4);
    expect(await page.locator('.graph .edge.dim').count()).toBe(19 * 25 * 2 - 4);
    await page.screenshot({ path: join(shots, 'graph-500-hover.png') });
    await page.mouse.move(0, 0);

    // Dragging the background pans the frame.
    const frame = page.getByTestId('graph-frame');
    const before = await frame.evaluate((el: Drawn) => el.scrollLeft);
    const area = await frame.boundingBox();
    if (!area) throw new Error('the graph frame has no box');
    const [x, y] = [area.x + area.width - 40, area.y + 30];
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x - 400, y, { steps: 5 });
    await page.mouse.up();
    expect(await frame.evaluate((el: Drawn) => el.scrollLeft)).toBeGreaterThan(before + 100);

    // Fitted: the whole DAG's shape in the frame, its nodes still apart.
    await page.getByTestId('graph-zoom-fit').click();
    expect(Number((await page.getByTestId('graph-zoom').textContent())?.replace('%', ''))).toBeLessThan(50);
    const fitted = await boxes();
    const width = await frame.evaluate((el: Drawn) => el.clientWidth);
    expect(
      Math.max(...fitted.map((box) => box.right)) - Math.min(...fitted.map((box) => box.left)),
    ).toBeLessThan(width);
    await page.screenshot({ path: join(shots, 'graph-500-fit.png') });
  }, 120_000);
});
