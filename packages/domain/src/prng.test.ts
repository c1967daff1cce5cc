import { describe, expect, it } from 'vitest';
import { Prng, prng } from './prng.ts';

describe('Prng (mulberry32)', () => {
  it('gives the mulberry32 sequence: equal to the signed-arithmetic formulation, from the class and the function', () => {
    // The formulation of mulberry32's original C-to-JS port (signed state), written out independently.
    const reference = (seed: number): (() => number) => {
      let a = seed | 0;
      return () => {
        a = (a + 0x6d2b79f5) | 0;
        let t = Math.imul(a ^ (a >>> 15), 1 | a);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    };
    for (const seed of [0, 1, 42, 12345, 2 ** 31 - 1, 0xdeadbeef]) {
      const want = reference(seed);
      const p = new Prng(seed);
      const f = prng(seed);
      for (let i = 0; i < 1000; i++) {
        const w = want();
        expect(p.next()).toBe(w);
        expect(f()).toBe(w);
      }
    }
  });

  it('keeps int within its bounds and reaches both ends; gauss has mean ≈ 0 and variance ≈ 1', () => {
    const p = new Prng(42);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const v = p.int(-2, 2);
      expect(v).toBeGreaterThanOrEqual(-2);
      expect(v).toBeLessThanOrEqual(2);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([-1, -2, 0, 1, 2].sort());
    let sum = 0;
    let sq = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const g = p.gauss();
      sum += g;
      sq += g * g;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.05);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.05);
  });
});
