/**
 * MinHash signatures and LSH banding for near-duplicate detection. Deterministic: every random
 * choice comes from a fixed seed, so the same rows always give the same groups.
 */
import { normaliseForHash } from '../normalise/content-hash';

/** Permutations per signature. */
export const NUM_PERM = 128;
/** Words per shingle for ordinary text; characters per shingle for short text. */
export const WORD_SHINGLE = 5;
export const CHAR_SHINGLE = 5;
/** Texts with fewer words than this are shingled by characters: word 5-shingles say too little. */
export const SHORT_TEXT_WORDS = 10;
/** Most bands we allow (memory: 4 bytes per band per row while grouping). */
export const MAX_BANDS = 32;

/** murmur3's 32-bit finaliser: a fast bijective mix of a 32-bit integer. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** FNV-1a over UTF-16 code units, then mixed: a 32-bit hash of a string. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix32(h);
}

/**
 * The distinct shingle hashes of a text, after the same normalisation as exact duplicates (NFKC,
 * case-folded, whitespace collapsed): word 5-shingles, or character 5-shingles for short text.
 */
export function shingleHashes(text: string): Uint32Array {
  const normal = normaliseForHash(text);
  const words = normal === '' ? [] : normal.split(' ');
  const out = new Set<number>();
  if (words.length >= SHORT_TEXT_WORDS) {
    const wordHashes = words.map((w) => hashString(w));
    for (let i = 0; i + WORD_SHINGLE <= wordHashes.length; i++) {
      let h = 0x9747b28c;
      for (let j = 0; j < WORD_SHINGLE; j++) h = mix32(Math.imul(h, 31) + (wordHashes[i + j] ?? 0));
      out.add(h);
    }
  } else if (normal.length <= CHAR_SHINGLE) {
    out.add(hashString(normal));
  } else {
    for (let i = 0; i + CHAR_SHINGLE <= normal.length; i++)
      out.add(hashString(normal.slice(i, i + CHAR_SHINGLE)));
  }
  return Uint32Array.from(out);
}

/** Computes MinHash signatures with NUM_PERM seeded permutations h_i(x) = mix32(x ^ seed_i). */
export class MinHasher {
  private readonly seeds: Uint32Array;

  constructor(
    readonly numPerm = NUM_PERM,
    seed = 42,
  ) {
    this.seeds = new Uint32Array(numPerm);
    let state = seed >>> 0;
    for (let i = 0; i < numPerm; i++) {
      state = mix32(state + 0x9e3779b9);
      this.seeds[i] = state;
    }
  }

  /** The signature of a set of shingle hashes (all 0xffffffff for an empty set). */
  signature(shingles: Uint32Array, out = new Uint32Array(this.numPerm)): Uint32Array {
    out.fill(0xffffffff);
    const seeds = this.seeds;
    for (let s = 0; s < shingles.length; s++) {
      const x = shingles[s] ?? 0;
      for (let i = 0; i < seeds.length; i++) {
        let h = (x ^ (seeds[i] ?? 0)) >>> 0;
        h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
        h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
        h = (h ^ (h >>> 16)) >>> 0;
        if (h < (out[i] ?? 0)) out[i] = h;
      }
    }
    return out;
  }
}

/** The Jaccard similarity two signatures estimate: the share of equal positions. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  let equal = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) equal++;
  return a.length === 0 ? 0 : equal / a.length;
}

/** Probability that a pair of similarity s shares at least one of `bands` bands of `rows` values. */
function collision(s: number, bands: number, rows: number): number {
  return 1 - (1 - s ** rows) ** bands;
}

function integrate(f: (x: number) => number, a: number, b: number, steps = 200): number {
  const h = (b - a) / steps;
  let sum = 0;
  for (let i = 0; i < steps; i++) sum += f(a + (i + 0.5) * h);
  return sum * h;
}

/** Chance that LSH puts a pair exactly at the threshold into the same bucket at least once. */
export const LSH_RECALL_AT_THRESHOLD = 0.9;

/**
 * Bands × rows for a threshold: among the layouts that catch a pair at the threshold with
 * probability ≥ 0.9 (a pair LSH misses is never verified, so misses are what matters), the one
 * with the least false-positive area below the threshold (candidates only cost verification).
 * datasketch's balanced optimum catches only ~55-65% of pairs right at the threshold.
 */
export function lshParameters(threshold: number, numPerm = NUM_PERM): { bands: number; rows: number } {
  let best: { bands: number; rows: number; fp: number } | null = null;
  let fallback = { bands: 1, rows: numPerm, recall: -1 };
  for (let bands = 1; bands <= Math.min(MAX_BANDS, numPerm); bands++) {
    for (let rows = 1; rows * bands <= numPerm; rows++) {
      const recall = collision(threshold, bands, rows);
      if (recall > fallback.recall) fallback = { bands, rows, recall };
      if (recall < LSH_RECALL_AT_THRESHOLD) continue;
      const fp = integrate((s) => collision(s, bands, rows), 0, threshold);
      if (best === null || fp < best.fp - 1e-12) best = { bands, rows, fp };
    }
  }
  return best ? { bands: best.bands, rows: best.rows } : { bands: fallback.bands, rows: fallback.rows };
}

/** The 32-bit key of each band of a signature, written to `out` from `offset`. */
export function bandKeys(
  signature: Uint32Array,
  bands: number,
  rows: number,
  out: Uint32Array,
  offset: number,
): void {
  for (let b = 0; b < bands; b++) {
    let h = mix32(b + 0x27d4eb2f);
    for (let r = 0; r < rows; r++) h = mix32(Math.imul(h, 0x01000193) ^ (signature[b * rows + r] ?? 0));
    out[offset + b] = h;
  }
}
