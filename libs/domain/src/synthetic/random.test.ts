import { Random } from './random';

/**
 * PractRand's reference sfc32 (C, uint32_t arithmetic) transcribed with BigInt and explicit 32-bit
 * masks, seeded like Random: an independent check of the signed/unsigned shifts and wrap-around.
 */
function referenceSfc32(seed: number, count: number): number[] {
  const M = 0xffff_ffffn;
  let s = BigInt(seed);
  const splitmix32 = (): bigint => {
    s = (s + 0x9e37_79b9n) & M;
    let t = s ^ (s >> 16n);
    t = (t * 0x21f0_aaadn) & M;
    t ^= t >> 15n;
    t = (t * 0x735a_2d97n) & M;
    return t ^ (t >> 15n);
  };
  let a = splitmix32();
  let b = splitmix32();
  let c = splitmix32();
  let counter = 1n;
  const raw32 = (): bigint => {
    const tmp = (a + b + counter) & M;
    counter = (counter + 1n) & M;
    a = b ^ (b >> 9n);
    b = (c + (c << 3n)) & M;
    c = ((((c << 21n) | (c >> 11n)) & M) + tmp) & M;
    return tmp;
  };
  for (let i = 0; i < 12; i++) raw32();
  return Array.from({ length: count }, () => Number(raw32()));
}

describe('Random (seeded sfc32)', () => {
  it.each([0, 1, 42, 0x8000_0000, 0xffff_ffff])('seed %d gives the reference sfc32 sequence', (seed) => {
    const r = new Random(seed);
    expect(Array.from({ length: 2_000 }, () => r.uint32())).toEqual(referenceSfc32(seed, 2_000));
  });

  it('is reproducible, and neighbouring seeds give unrelated streams', () => {
    const draw = (seed: number) => {
      const r = new Random(seed);
      return Array.from({ length: 100 }, () => r.uint32());
    };
    expect(draw(7)).toEqual(draw(7));
    const [a, b] = [draw(7), draw(8)];
    expect(a.filter((x, i) => x === b[i])).toEqual([]);
  });

  it('next() lies in [0, 1) and is close to uniform (χ² over 20 bins, 100 000 draws)', () => {
    const r = new Random(2021);
    const bins = new Array<number>(20).fill(0);
    let [min, max] = [1, 0];
    for (let i = 0; i < 100_000; i++) {
      const x = r.next();
      [min, max] = [Math.min(min, x), Math.max(max, x)];
      bins[Math.floor(x * 20)]++;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    const expected = 100_000 / 20;
    const chi2 = bins.reduce((sum, o) => sum + (o - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(43.8); // the 0.1 % critical value for 19 degrees of freedom
  });

  it('int(min, max) includes both ends and nothing outside', () => {
    const r = new Random(5);
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i++) seen.add(r.int(-2, 3));
    expect([...seen].sort((x, y) => x - y)).toEqual([-2, -1, 0, 1, 2, 3]);
  });

  it('weighted() and chance() follow their probabilities; logNormal() its median', () => {
    const r = new Random(9);
    const n = 40_000;
    const counts = { a: 0, b: 0, c: 0 };
    let hits = 0;
    const amounts: number[] = [];
    for (let i = 0; i < n; i++) {
      counts[
        r.weighted([
          ['a', 1],
          ['b', 3],
          ['c', 0],
        ] as const)
      ]++;
      if (r.chance(0.1)) hits++;
      amounts.push(r.logNormal(6_000, 0.5));
    }
    expect(counts.c).toBe(0);
    expect(counts.a / n).toBeCloseTo(0.25, 1);
    expect(hits / n).toBeCloseTo(0.1, 1);
    amounts.sort((x, y) => x - y);
    expect(amounts[n / 2] / 6_000).toBeCloseTo(1, 1);
    expect(amounts[0]).toBeGreaterThan(0);
  });

  it.each([-1, 1.5, 2 ** 32, Number.NaN])('refuses the seed %d', (seed) => {
    expect(() => new Random(seed)).toThrow(RangeError);
  });
});
