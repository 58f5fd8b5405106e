/**
 * A small seeded pseudo-random generator for synthetic data: the same seed gives the same sequence
 * on every machine and Node version (Math.random cannot be seeded). The generator is sfc32 (Chris
 * Doty-Humphrey's Small Fast Counting generator from PractRand, 128-bit state, passes PractRand and
 * BigCrush); splitmix32 spreads the 32-bit seed over that state, so seeds 1 and 2 give unrelated streams.
 * Not for anything secret.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `seed` is a whole number 0..2^32 − 1. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff)
      throw new RangeError('Random: the seed must be a whole number from 0 to 4294967295');
    let s = seed;
    const splitmix32 = (): number => {
      s = (s + 0x9e37_79b9) | 0;
      let t = s ^ (s >>> 16);
      t = Math.imul(t, 0x21f0_aaad);
      t ^= t >>> 15;
      t = Math.imul(t, 0x735a_2d97);
      return (t ^ (t >>> 15)) | 0;
    };
    this.a = splitmix32();
    this.b = splitmix32();
    this.c = splitmix32();
    this.d = 1;
    // The first outputs of a freshly seeded sfc32 are poorly mixed; PractRand's reference skips 12.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A whole number 0..2^32 − 1. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    return this.uint32() / 4_294_967_296;
  }

  /** A whole number from min to max, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)];
  }

  /** One of the values, each with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of entries) total += w;
    let x = this.next() * total;
    for (const [value, w] of entries) {
      if (x < w) return value;
      x -= w;
    }
    return entries[entries.length - 1][0];
  }

  /** A standard normal deviate (Box–Muller; draws two numbers, keeps no spare, so the state stays 4 words). */
  normal(): number {
    const u = 1 - this.next(); // (0, 1]: log(0) is never taken
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** A log-normal amount with the given median and spread (σ of its logarithm). */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
}
