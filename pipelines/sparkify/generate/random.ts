/**
 * A small seeded PRNG (sfc32) with named sub-streams. Every part of the generator draws from its
 * own stream (`createRandom(seed, 'catalog')`, `createRandom(seed, 'day', 3)`), so changing how
 * much one part draws never shifts the numbers another part sees.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    // sfc32 needs a few rounds before weak seeds look random.
    for (let i = 0; i < 15; i += 1) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    const c = (this.c << 21) | (this.c >>> 11);
    this.c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** An index in [0, n) favouring small ones: a few items get most of the draws, like hit songs. */
  skewed(n: number): number {
    const u = this.next();
    return Math.floor(n * u * u);
  }

  /** `count` distinct indices from [0, n), in increasing order (Floyd's algorithm: memory ∝ count). */
  sample(n: number, count: number): number[] {
    const chosen = new Set<number>();
    for (let j = n - Math.min(count, n); j < n; j += 1) {
      const t = this.int(j + 1);
      chosen.add(chosen.has(t) ? j : t);
    }
    return [...chosen].sort((x, y) => x - y);
  }

  /** Shuffles in place (Fisher–Yates). */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i -= 1) {
      const j = this.int(i + 1);
      const item = items[i] as T;
      items[i] = items[j] as T;
      items[j] = item;
    }
    return items;
  }
}

/** The stream named by `labels` under `seed`: the same seed and labels always give the same numbers. */
export function createRandom(seed: number, ...labels: readonly (string | number)[]): Random {
  let h = mix(0x9e3779b9 ^ (seed >>> 0));
  h = mix(h ^ Math.floor(seed / 4294967296));
  for (const label of labels) h = mix(h ^ hashLabel(String(label)));
  const a = mix(h ^ 0x1);
  const b = mix(a ^ 0x2);
  const c = mix(b ^ 0x3);
  const d = mix(c ^ 0x4);
  return new Random(a, b, c, d);
}

/** FNV-1a over UTF-16 code units. */
function hashLabel(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** murmur3's finaliser: spreads every input bit over the output. */
function mix(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
