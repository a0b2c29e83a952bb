/**
 * Synthetic chat rows for the curation benchmarks: a Zipf-distributed vocabulary, a few roles, a few
 * invalid rows and some exact duplicates, deterministic for a seed.
 */
import type { NewDatasetRow } from '../../db/repositories/dataset-rows-repository';
import { contentHash, rowText } from '../../main/datasets/normalise/content-hash';
import { validateCanonicalRow } from '../../main/datasets/normalise/validate-canonical';
import type { CanonicalRow } from '../../preload/contract';

/** mulberry32: a small, fast, seeded PRNG. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ne',
  'ru',
  'sa',
  'ti',
  'vo',
  'ze',
  'po',
  'qua',
  'dri',
  'fen',
  'gul',
  'hor',
];

function makeVocabulary(size: number, random: () => number): string[] {
  const words = new Set<string>();
  while (words.size < size) {
    const n = 1 + Math.floor(random() * 4);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    words.add(w);
  }
  return [...words];
}

/** A generator of synthetic rows; `next()` yields rows in row-index order. */
export function createRowGenerator(seed = 1, vocabularySize = 20_000) {
  const random = seededRandom(seed);
  const vocabulary = makeVocabulary(vocabularySize, random);
  // Zipf(1): cumulative weights 1/k, sampled by binary search.
  const cumulative: number[] = [];
  let sum = 0;
  for (let k = 1; k <= vocabulary.length; k++) {
    sum += 1 / k;
    cumulative.push(sum);
  }
  const word = (): string => {
    const x = random() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return vocabulary[lo] ?? 'x';
  };
  const sentence = (words: number): string => Array.from({ length: words }, word).join(' ');
  let index = 0;
  let previous: CanonicalRow | null = null;
  return {
    vocabulary,
    next(): NewDatasetRow {
      const rowIndex = index++;
      let canonical: CanonicalRow;
      if (previous && random() < 0.02) canonical = previous;
      else {
        const turns = 1 + Math.floor(random() * 3);
        const messages: Array<{ role: 'system' | 'user' | 'assistant'; content: string }> = [];
        if (random() < 0.3) messages.push({ role: 'system', content: sentence(8) });
        for (let t = 0; t < turns; t++) {
          messages.push({ role: 'user', content: sentence(5 + Math.floor(random() * 30)) });
          messages.push({ role: 'assistant', content: sentence(10 + Math.floor(random() * 120)) });
        }
        if (random() < 0.03) messages.pop();
        canonical = { messages };
      }
      previous = canonical;
      const { problems } = validateCanonicalRow(canonical);
      const json = JSON.stringify(canonical);
      return {
        rowIndex,
        lineNumber: rowIndex + 1,
        originalJson: json,
        canonicalJson: json,
        valid: problems.length === 0,
        problemsJson: JSON.stringify(problems),
        charLength: rowText(canonical).length,
        turns: 'messages' in canonical ? canonical.messages.length : 0,
        contentHash: contentHash(canonical),
      };
    },
  };
}
