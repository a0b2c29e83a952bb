import { createHash } from 'node:crypto';
import type { CanonicalRow } from '../../preload/contract';

/** Text normalised for duplicate detection: case-folded, whitespace collapsed, Unicode NFKC. */
export function normaliseForHash(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * The exact-duplicate key of a canonical row: sha256 over the roles and normalised contents, so
 * rows that differ only in case or spacing are the same row.
 */
export function contentHash(row: CanonicalRow): string {
  const hash = createHash('sha256');
  if ('text' in row) {
    hash.update(`text\u0000${normaliseForHash(row.text)}`);
  } else {
    for (const m of row.messages) hash.update(`${m.role}\u0000${normaliseForHash(m.content)}\u0001`);
  }
  return hash.digest('hex').slice(0, 32);
}

/** All the text of a row, for search, length and near-duplicate detection. */
export function rowText(row: CanonicalRow): string {
  return 'text' in row ? row.text : row.messages.map((m) => m.content).join('\n');
}
