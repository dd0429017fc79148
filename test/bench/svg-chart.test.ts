import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lineChart, writeChart, type ChartOptions } from '../../bench/svg-chart.ts';

const base: ChartOptions = {
  title: 'Tick time vs. history',
  xLabel: 'runs',
  yLabel: 'ms',
  series: [
    {
      name: 'p50',
      points: [
        [0, 1],
        [10, 87],
      ],
    },
  ],
};

/** Fails on a tag closed out of order or left open; returns the element names seen. */
function checkBalanced(svg: string): string[] {
  const stack: string[] = [];
  const seen: string[] = [];
  for (const [, close, name, selfClose] of svg.matchAll(/<(\/?)([a-zA-Z]+)[^<>]*?(\/?)>/g)) {
    if (!name) throw new Error('unnamed tag');
    seen.push(name);
    if (close) expect(stack.pop()).toBe(name);
    else if (!selfClose) stack.push(name);
  }
  expect(stack).toEqual([]);
  return seen;
}

const ticks = (svg: string, axis: 'x' | 'y') =>
  [...svg.matchAll(new RegExp(`class="${axis}-tick"[^>]*>([^<]*)<`, 'g'))].map((m) => m[1]);

describe('lineChart', () => {
  it('renders a self-contained, balanced SVG document', () => {
    const svg = lineChart(base);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(checkBalanced(svg)).toEqual(expect.arrayContaining(['polyline', 'circle', 'text']));
    expect(svg).not.toMatch(/<script|<style|href=|url\(|@import/);
  });

  it('escapes the title, labels, series names and guide labels', () => {
    const svg = lineChart({
      ...base,
      title: 'a < b & "c"',
      yLabel: "it's > 0",
      series: [
        { name: 'DuckDB <S3>', points: [[1, 2]] },
        { name: 'Postgres & "COPY"', points: [[1, 3]] },
      ],
      guides: [{ y: 5, label: '<goal>' }],
    });
    checkBalanced(svg);
    expect(svg).toContain('a &lt; b &amp; &quot;c&quot;');
    expect(svg).toContain('it&apos;s &gt; 0');
    expect(svg).toContain('DuckDB &lt;S3&gt;');
    expect(svg).toContain('Postgres &amp; &quot;COPY&quot;');
    expect(svg).toContain('&lt;goal&gt;');
    expect(svg).not.toContain('<S3>');
  });

  it('gives each series its own colour and leaves out points with a non-finite y', () => {
    const svg = lineChart({
      ...base,
      series: [
        {
          name: 'a',
          points: [
            [3, 1],
            [1, 2],
            [2, NaN],
          ],
        },
        { name: 'b', points: [[1, Infinity]] },
      ],
    });
    const strokes = [...svg.matchAll(/<polyline[^>]*stroke="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(strokes).size).toBe(2);
    const polyline = /<polyline points="([^"]*)"/.exec(svg)?.[1] ?? '';
    const xs = polyline.split(' ').map((p) => Number(p.split(',')[0]));
    expect(xs).toHaveLength(2);
    expect(xs[0]).toBeLessThan(xs[1] ?? 0); // drawn in x order
  });

  it('picks 1-2-5 steps on a linear axis, with y starting at 0', () => {
    const svg = lineChart({
      ...base,
      series: [
        {
          name: 's',
          points: [
            [0, 3],
            [100, 87],
          ],
        },
      ],
    });
    expect(ticks(svg, 'y')).toEqual(['0', '20', '40', '60', '80', '100']);
    expect(ticks(svg, 'x')).toEqual(['0', '20', '40', '60', '80', '100']);
  });

  it('formats ticks compactly', () => {
    const svg = lineChart({
      ...base,
      series: [
        {
          name: 's',
          points: [
            [0, 0.3],
            [2e6, 2400],
          ],
        },
      ],
    });
    expect(ticks(svg, 'y')).toEqual(['0', '500', '1k', '1.5k', '2k', '2.5k']);
    expect(ticks(svg, 'x')).toEqual(['0', '500k', '1M', '1.5M', '2M']);
    const small = lineChart({
      ...base,
      series: [
        {
          name: 's',
          points: [
            [0, 0.1],
            [1, 0.87],
          ],
        },
      ],
    });
    expect(ticks(small, 'y')).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
  });

  it('widens the y range to take in the guides', () => {
    const svg = lineChart({ ...base, guides: [{ y: 250, label: 'goal 250 ms' }] });
    expect(ticks(svg, 'y')).toEqual(['0', '50', '100', '150', '200', '250']);
    expect(svg).toContain('stroke-dasharray');
    expect(svg).toContain('goal 250 ms');
  });

  it('puts ticks at powers of ten on log axes', () => {
    const svg = lineChart({
      ...base,
      xLog: true,
      yLog: true,
      series: [
        {
          name: 's',
          points: [
            [1e3, 4],
            [1e4, 15],
            [1e5, 120],
            [1e6, 1100],
            [1e7, 12000],
          ],
        },
      ],
    });
    expect(ticks(svg, 'x')).toEqual(['1k', '10k', '100k', '1M', '10M']);
    expect(ticks(svg, 'y')).toEqual(['1', '10', '100', '1k', '10k', '100k']);
    const narrow = lineChart({
      ...base,
      yLog: true,
      series: [
        {
          name: 's',
          points: [
            [0, 3],
            [1, 40],
          ],
        },
      ],
    });
    expect(ticks(narrow, 'y')).toEqual(['1', '2', '5', '10', '20', '50', '100']);
  });

  it('rejects a non-positive value on a log axis, naming the series and value', () => {
    const bad = { name: 'Postgres COPY', points: [[0, 5]] as const };
    expect(() => lineChart({ ...base, xLog: true, series: [bad] })).toThrow(/"Postgres COPY".*x = 0/);
    const negative = { name: 'DuckDB', points: [[1, -2]] as const };
    expect(() => lineChart({ ...base, yLog: true, series: [negative] })).toThrow(/"DuckDB".*y = -2/);
    expect(() => lineChart({ ...base, yLog: true, guides: [{ y: 0, label: 'zero' }] })).toThrow(/"zero"/);
  });

  it('still draws axes and says "no data" with no series or no points', () => {
    for (const series of [[], [{ name: 'empty', points: [] }]]) {
      const svg = lineChart({ ...base, series });
      checkBalanced(svg);
      expect(svg).toContain('>no data<');
      expect(ticks(svg, 'y').length).toBeGreaterThan(1);
      expect(ticks(svg, 'x').length).toBeGreaterThan(1);
    }
    expect(lineChart(base)).not.toContain('no data');
  });
});

describe('writeChart', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('creates the folder and writes the SVG', async () => {
    dir = await mkdtemp(join(tmpdir(), 'svg-chart-'));
    const path = join(dir, 'nested', 'chart.svg');
    await writeChart(path, base);
    expect(await readFile(path, 'utf8')).toBe(lineChart(base));
  });
});
