import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bandKeys,
  estimateJaccard,
  hashString,
  lshParameters,
  MinHasher,
  mix32,
  NUM_PERM,
  shingleHashes,
} from '../../../../main/datasets/curation/minhash';

function exactJaccard(a: Uint32Array, b: Uint32Array): number {
  const sa = new Set(a);
  const sb = new Set(b);
  let inter = 0;
  for (const x of sa) if (sb.has(x)) inter++;
  return inter / (sa.size + sb.size - inter);
}

const text = (n: number, offset = 0): string =>
  Array.from({ length: n }, (_, i) => `word${i + offset}`).join(' ');

describe('MinHash', () => {
  it('shingles ordinary text by 5 words and short text by 5 characters, after normalising', () => {
    expect(shingleHashes(text(20)).length).toBe(16);
    expect(shingleHashes('Hello   WORLD').length).toBe('hello world'.length - 4);
    expect(shingleHashes('abc').length).toBe(1);
    expect(shingleHashes('')).toEqual(shingleHashes(''));
    expect(shingleHashes('The  Same TEXT here now ok yes no maybe so')).toEqual(
      shingleHashes('the same text here now ok yes no maybe so'),
    );
  });

  it('is deterministic and mixes bijectively', () => {
    const a = new MinHasher().signature(shingleHashes(text(50)));
    const b = new MinHasher().signature(shingleHashes(text(50)));
    expect(a).toEqual(b);
    expect(a.length).toBe(NUM_PERM);
    const seen = new Set<number>();
    for (let i = 0; i < 100_000; i++) seen.add(mix32(i));
    expect(seen.size).toBe(100_000);
    expect(hashString('a')).not.toBe(hashString('b'));
  });

  it('estimates Jaccard similarity within a few hundredths on word shingles', () => {
    const hasher = new MinHasher();
    for (const [n, overlap] of [
      [400, 390],
      [200, 150],
      [200, 100],
      [100, 20],
    ] as const) {
      const a = shingleHashes(text(n));
      const b = shingleHashes(text(n, n - overlap));
      const exact = exactJaccard(a, b);
      const estimate = estimateJaccard(hasher.signature(a), hasher.signature(b));
      expect(Math.abs(estimate - exact), `n=${n} overlap=${overlap}`).toBeLessThan(0.12);
    }
  });

  it('estimates 1 for identical sets and about 0 for unrelated ones (property)', () => {
    const hasher = new MinHasher();
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { minLength: 1, maxLength: 200 }),
        (xs) => {
          const set = Uint32Array.from(xs);
          expect(estimateJaccard(hasher.signature(set), hasher.signature(set.slice()))).toBe(1);
        },
      ),
      { numRuns: 50 },
    );
    const a = shingleHashes(text(300));
    const b = shingleHashes(text(300, 10_000));
    expect(estimateJaccard(hasher.signature(a), hasher.signature(b))).toBeLessThan(0.05);
  });

  it('chooses LSH bands that catch pairs at the threshold and few far below it', () => {
    for (const threshold of [0.5, 0.7, 0.85, 0.9, 0.95]) {
      const { bands, rows } = lshParameters(threshold);
      expect(bands * rows).toBeLessThanOrEqual(NUM_PERM);
      const catchAt = (s: number) => 1 - (1 - s ** rows) ** bands;
      expect(catchAt(threshold), `t=${threshold}`).toBeGreaterThanOrEqual(0.9);
      expect(catchAt(threshold + 0.05), `t=${threshold}`).toBeGreaterThan(0.95);
      expect(catchAt(threshold - 0.3), `t=${threshold}`).toBeLessThan(0.15);
    }
  });

  it('writes one key per band, equal for equal bands', () => {
    const sig = new MinHasher().signature(shingleHashes(text(40)));
    const other = sig.slice();
    other[NUM_PERM - 1] = 1;
    const out = new Uint32Array(8);
    bandKeys(sig, 4, 32, out, 0);
    bandKeys(other, 4, 32, out, 4);
    expect([...out.subarray(0, 3)]).toEqual([...out.subarray(4, 7)]);
    expect(out[3]).not.toBe(out[7]);
  });
});
