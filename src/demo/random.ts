// Seeded randomness for the demo tenant: a small fast PRNG (sfc32) and stable hashes, so the same
// options always give the same sign-ins. Never Math.random or the clock.

const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex8(n: number): string {
  return HEX2[n >>> 24]! + HEX2[(n >>> 16) & 255]! + HEX2[(n >>> 8) & 255]! + HEX2[n & 255]!;
}

function hex4(n: number): string {
  return HEX2[(n >>> 8) & 255]! + HEX2[n & 255]!;
}

/** A version-4-shaped GUID from four 32-bit words. */
export function guidFromWords(a: number, b: number, c: number, d: number): string {
  return `${hex8(a)}-${hex4(b >>> 16)}-${hex4((b & 0x0fff) | 0x4000)}-${hex4(((c >>> 16) & 0x3fff) | 0x8000)}-${hex4(c)}${hex8(d)}`;
}

/** Murmur3's finalizer: a good 32-bit avalanche for hashing small integers. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a string (FNV-1a, then mixed), for stable per-name choices. */
export function hashString(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix32(h);
}

/** Combines integers into one 32-bit hash (for ids that must be stable without a PRNG stream). */
export function hashInts(a: number, b: number, c = 0, d = 0): number {
  let h = mix32(a ^ 0x9e3779b9);
  h = mix32(h ^ Math.imul(b, 0x85ebca6b));
  h = mix32(h ^ Math.imul(c, 0xc2b2ae35));
  return mix32(h ^ Math.imul(d, 0x27d4eb2f));
}

/** A stable GUID for a name ("user:17"): the same text always gives the same GUID. */
export function stableGuid(name: string): string {
  return guidFromWords(hashString(name, 1), hashString(name, 2), hashString(name, 3), hashString(name, 4));
}

/** A stable GUID for integer coordinates (session ids per user, device and day). */
export function stableGuidOf(a: number, b: number, c: number, d: number): string {
  const h = hashInts(a, b, c, d);
  return guidFromWords(h, mix32(h ^ 0x68e31da4), mix32(h ^ 0xb5297a4d), mix32(h ^ 0x1b56c4e9));
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Chaotic PRNG): 128-bit state, passes PractRand. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // SplitMix32 spreads any integer seed over the whole state; then a warm-up.
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      return mix32(s);
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next() | 1;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform in [0, 1) with 53 bits of resolution (for fine-grained times). */
  float53(): number {
    return ((this.u32() >>> 5) * 67108864 + (this.u32() >>> 6)) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** Exponentially distributed with the given mean (waiting times between steps). */
  exponential(mean: number): number {
    return -Math.log(1 - this.float()) * mean;
  }

  guid(): string {
    return guidFromWords(this.u32(), this.u32(), this.u32(), this.u32());
  }
}

/** A fixed list with weights, picked in O(log n) by cumulative weight. */
export class Weighted<T> {
  readonly items: readonly T[];
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    if (entries.length === 0) throw new Error('Weighted: no entries');
    this.items = entries.map((e) => e[0]);
    this.cumulative = new Float64Array(entries.length);
    let sum = 0;
    entries.forEach(([, w], i) => {
      if (!(w >= 0)) throw new Error(`Weighted: bad weight ${w}`);
      sum += w;
      this.cumulative[i] = sum;
    });
    if (sum <= 0) throw new Error('Weighted: all weights are zero');
    this.total = sum;
  }

  pick(rng: Random): T {
    const x = rng.float() * this.total;
    const c = this.cumulative;
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((c[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}
