/**
 * Line charts as standalone SVG text, for the scale benchmarks that plot how a cost grows with data
 * size or history. No dependencies: the file opens in any browser and embeds in Markdown as an image.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface ChartSeries {
  readonly name: string;
  /** [x, y] points; drawn in x order; a point with a non-finite y is left out. */
  readonly points: readonly (readonly [number, number])[];
}

export interface ChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Log-scale axes (base 10), for sizes that grow 10x a step. @default false */
  readonly xLog?: boolean;
  readonly yLog?: boolean;
  readonly series: readonly ChartSeries[];
  /** Horizontal reference lines, e.g. a goal of 100 ms, drawn dashed with their label. */
  readonly guides?: readonly { readonly y: number; readonly label: string }[];
  /** @default 720 */ readonly width?: number;
  /** @default 420 */ readonly height?: number;
}

/** Okabe–Ito, which stays distinct under the common colour-vision deficiencies; its pale yellow,
 * hard to see on white, is replaced by a wine from Paul Tol's palette. */
const palette = ['#0072B2', '#D55E00', '#009E73', '#E69F00', '#CC79A7', '#56B4E9', '#000000', '#882255'];
/** Text widths are estimated (no font metrics in plain text): ~7 px a character at 12 px. */
const charWidth = 7;
const maxLegendChars = 28;

interface Axis {
  readonly lo: number;
  readonly hi: number;
  readonly log: boolean;
  readonly ticks: readonly number[];
}

/** An SVG document (starts with `<svg xmlns=...`), self-contained: no scripts, no external fonts or CSS. */
export function lineChart(options: ChartOptions): string {
  const { title, xLabel, yLabel, series } = options;
  const width = options.width ?? 720;
  const height = options.height ?? 420;
  const xLog = options.xLog ?? false;
  const yLog = options.yLog ?? false;
  const guides = options.guides ?? [];

  // Drop what cannot be drawn, reject what a log axis cannot show (silently dropping it would lie).
  const drawn = series.map((s) => {
    const points = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    for (const [x, y] of points) {
      if (xLog && x <= 0) throw new RangeError(logMessage(`series "${s.name}"`, 'x', x));
      if (yLog && y <= 0) throw new RangeError(logMessage(`series "${s.name}"`, 'y', y));
    }
    return { name: s.name, points: [...points].sort((a, b) => a[0] - b[0]) };
  });
  for (const g of guides) {
    if (yLog && g.y <= 0) throw new RangeError(logMessage(`guide "${g.label}"`, 'y', g.y));
  }
  const xs = drawn.flatMap((s) => s.points.map(([x]) => x));
  const ys = [...drawn.flatMap((s) => s.points.map(([, y]) => y)), ...guides.map((g) => g.y)];
  const hasData = xs.length > 0;

  const plotTop = 44;
  const plotBottom = height - 52;
  const yAxis = yLog
    ? logAxis(ys.length ? Math.min(...ys) : 1, ys.length ? Math.max(...ys) : 10, (plotBottom - plotTop) / 50)
    : linearAxis(Math.min(0, ...ys), Math.max(0, ...ys), (plotBottom - plotTop) / 60);
  const legendNames = drawn.map((s) => truncate(s.name));
  const legendWidth = drawn.length ? 44 + charWidth * Math.max(...legendNames.map((n) => n.length)) : 0;
  const plotLeft = 34 + charWidth * Math.max(...yAxis.ticks.map((t) => compact(t).length));
  // Room on the right for the legend, or at least for half of the last x tick's label.
  const plotRight = width - (drawn.length ? 16 + legendWidth : 28);
  const xTarget = (plotRight - plotLeft) / 90;
  const xAxis = xLog
    ? logAxis(hasData ? Math.min(...xs) : 1, hasData ? Math.max(...xs) : 10, xTarget)
    : linearAxis(hasData ? Math.min(...xs) : 0, hasData ? Math.max(...xs) : 1, xTarget);
  const sx = (x: number) => round(plotLeft + fraction(xAxis, x) * (plotRight - plotLeft));
  const sy = (y: number) => round(plotBottom - fraction(yAxis, y) * (plotBottom - plotTop));
  const midX = round((plotLeft + plotRight) / 2);

  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12" fill="#222">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="26" text-anchor="middle" font-size="16" font-weight="bold">${esc(title)}</text>`,
  ];
  for (const t of xAxis.ticks) {
    out.push(
      `<line x1="${sx(t)}" y1="${plotTop}" x2="${sx(t)}" y2="${plotBottom}" stroke="#e6e6e6"/>`,
      `<text class="x-tick" x="${sx(t)}" y="${plotBottom + 17}" text-anchor="middle">${compact(t)}</text>`,
    );
  }
  for (const t of yAxis.ticks) {
    out.push(
      `<line x1="${plotLeft}" y1="${sy(t)}" x2="${plotRight}" y2="${sy(t)}" stroke="#e6e6e6"/>`,
      `<text class="y-tick" x="${plotLeft - 6}" y="${sy(t) + 4}" text-anchor="end">${compact(t)}</text>`,
    );
  }
  out.push(
    `<path d="M${plotLeft} ${plotTop}V${plotBottom}H${plotRight}" fill="none" stroke="#888"/>`,
    `<text x="${midX}" y="${height - 14}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text transform="rotate(-90)" x="${-round((plotTop + plotBottom) / 2)}" y="16" text-anchor="middle">${esc(yLabel)}</text>`,
  );
  for (const g of guides) {
    out.push(
      `<line x1="${plotLeft}" y1="${sy(g.y)}" x2="${plotRight}" y2="${sy(g.y)}" stroke="#666" stroke-dasharray="6 4"/>`,
      `<text class="guide" x="${plotRight - 4}" y="${sy(g.y) - 5}" text-anchor="end" fill="#555">${esc(g.label)}</text>`,
    );
  }
  drawn.forEach((s, i) => {
    const color = palette[i % palette.length] ?? '#000';
    const coords = s.points.map(([x, y]) => `${sx(x)},${sy(y)}`);
    out.push(`<g class="series"><title>${esc(s.name)}</title>`);
    out.push(`<polyline points="${coords.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const c of coords) {
      const [cx, cy] = c.split(',');
      out.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`);
    }
    // The legend sits right of the plot so it never hides a line.
    const ly = plotTop + 10 + i * 20;
    const lx = plotRight + 16;
    out.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
      `<circle cx="${lx + 11}" cy="${ly}" r="3" fill="${color}"/>`,
      `<text x="${lx + 28}" y="${ly + 4}">${esc(legendNames[i] ?? '')}</text></g>`,
    );
  });
  if (!hasData) {
    const cy = round((plotTop + plotBottom) / 2);
    out.push(`<text x="${midX}" y="${cy}" text-anchor="middle" font-size="14" fill="#888">no data</text>`);
  }
  out.push('</svg>', '');
  return out.join('\n');
}

/** Renders `lineChart(options)` to `path`, creating its folder. */
export async function writeChart(path: string, options: ChartOptions): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, lineChart(options));
}

function logMessage(what: string, axis: 'x' | 'y', value: number): string {
  return `lineChart: ${what} has ${axis} = ${value}, which a log-scale ${axis} axis cannot show (values must be > 0)`;
}

/** The smallest of 1, 2, 5 × 10^k that is at least `raw`. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
}

/** About `target` ticks at a nice step; the axis is widened to whole steps so it ends on a tick. */
function linearAxis(lo: number, hi: number, target: number): Axis {
  if (hi === lo) [lo, hi] = lo === 0 ? [0, 1] : [lo - Math.abs(lo) / 2, hi + Math.abs(hi) / 2];
  const step = niceStep((hi - lo) / Math.max(2, Math.floor(target)));
  // The epsilon keeps float noise (0.3 / 0.1 = 3.0000000000000004) from adding a step.
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks = Array.from({ length: last - first + 1 }, (_, i) => clean((first + i) * step));
  return { lo: clean(first * step), hi: clean(last * step), log: false, ticks };
}

/** Whole decades; 1, 2, 5 within each when there are at most two, every n-th decade when crowded. */
function logAxis(lo: number, hi: number, target: number): Axis {
  let a = Math.floor(Math.log10(lo) + 1e-9);
  let b = Math.ceil(Math.log10(hi) - 1e-9);
  if (a === b) [a, b] = [a - 1, b + 1];
  const every = Math.max(1, Math.ceil((b - a) / Math.max(2, Math.floor(target))));
  b = a + Math.ceil((b - a) / every) * every;
  const ticks: number[] = [];
  for (let e = a; e <= b; e += every) {
    for (const m of b - a <= 2 ? [1, 2, 5] : [1]) if (e < b || m === 1) ticks.push(clean(m * 10 ** e));
  }
  return { lo: clean(10 ** a), hi: clean(10 ** b), log: true, ticks };
}

function fraction(axis: Axis, v: number): number {
  if (!axis.log) return (v - axis.lo) / (axis.hi - axis.lo);
  return (Math.log10(v) - Math.log10(axis.lo)) / (Math.log10(axis.hi) - Math.log10(axis.lo));
}

const units: readonly (readonly [number, string])[] = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** 0.5, 12, 1.2k, 10k, 1M: four significant digits at most, trailing zeros dropped. */
function compact(v: number): string {
  const [divisor, suffix] = units.find(([n]) => Math.abs(v) >= n) ?? [1, ''];
  return `${Number((v / divisor).toPrecision(4))}${suffix}`;
}

function truncate(name: string): string {
  return name.length > maxLegendChars ? `${name.slice(0, maxLegendChars - 1)}…` : name;
}

const clean = (n: number) => Number(n.toPrecision(12));
const round = (n: number) => Math.round(n * 10) / 10;

function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
