import { createHash } from 'node:crypto';
import type { CanonicalRow } from '../../../preload/contract';

/** Text normalised for duplicate detection: case-folded, whitespace collapsed, Unicode NFKC. */
export function normaliseForHash(text: string): string {
  // NFKC leaves ASCII as it is; skipping it there is a third of the hashing time on English data.
  const folded = NON_ASCII.test(text) ? text.normalize('NFKC') : text;
  return folded.toLowerCase().replace(/\s+/g, ' ').trim();
}

const NON_ASCII = /[\u0080-\uffff]/;

/**
 * The exact-duplicate key of a canonical row: sha256 over the roles and normalised contents, so
 * rows that differ only in case or spacing are the same row.
 */
export function contentHash(row: CanonicalRow): string {
  const key =
    'text' in row
      ? `text\u0000${normaliseForHash(row.text)}`
      : row.messages.map((m) => `${m.role}\u0000${normaliseForHash(m.content)}\u0001`).join('');
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/** All the text of a row, for search, length and near-duplicate detection. */
export function rowText(row: CanonicalRow): string {
  return 'text' in row ? row.text : row.messages.map((m) => m.content).join('\n');
}
