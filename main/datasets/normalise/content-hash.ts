import { hash } from 'node:crypto';
import { type CanonicalMessage, type CanonicalRow, messageSectionsOf } from '../../../preload/contract';

/** Text normalised for duplicate detection: case-folded, whitespace collapsed, Unicode NFKC. */
export function normaliseForHash(text: string): string {
  // NFKC leaves ASCII as it is; skipping it there is a third of the hashing time on English data.
  const folded = NON_ASCII.test(text) ? text.normalize('NFKC') : text;
  return folded.toLowerCase().replace(/\s+/g, ' ').trim();
}

const NON_ASCII = /[\u0080-\uffff]/;

/** Bytes of the sha256 kept as a row's duplicate key: 2^64 keys, ~3e-8 odds of any clash in 1M rows. */
export const CONTENT_HASH_BYTES = 8;

/**
 * The exact-duplicate key of a canonical row: sha256 over the roles and normalised contents, so
 * rows that differ only in case or spacing are the same row. Stored as an 8-byte BLOB: the 32-char
 * hex text it replaced cost 72 bytes a row across the row and its two indexes.
 */
export function contentHash(row: CanonicalRow): Buffer {
  const key =
    'text' in row
      ? `text\u0000${normaliseForHash(row.text)}`
      : messageSectionsOf(row)
          .map(
            ([label, messages], i) =>
              (i === 0 && label === 'messages' ? '' : `\u0002${label}`) +
              messages.map((m) => `${m.role}\u0000${normaliseForHash(messageText(m))}\u0001`).join(''),
          )
          .join('') + (row.tools ? `tools\u0000${JSON.stringify(row.tools)}` : '');
  // One-shot hash: a third cheaper than createHash().update().digest() on ~600-character keys.
  return hash('sha256', key, 'buffer').subarray(0, CONTENT_HASH_BYTES);
}

/** All the text of a row, for search, length and near-duplicate detection. */
export function rowText(row: CanonicalRow): string {
  if ('text' in row) return row.text;
  return messageSectionsOf(row)
    .flatMap(([, messages]) => messages.map(messageText))
    .join('\n');
}

/** A message's content, then its tool calls as `name {arguments}` lines (they are what it says). */
function messageText(m: CanonicalMessage): string {
  if (!m.tool_calls || m.tool_calls.length === 0) return m.content;
  const calls = m.tool_calls.map((c) => `${c.function.name} ${JSON.stringify(c.function.arguments)}`);
  return m.content === '' ? calls.join('\n') : `${m.content}\n${calls.join('\n')}`;
}
