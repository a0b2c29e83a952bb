/**
 * Turning what a person types into a safe FTS5 query for the row search index (the index itself,
 * and the tokenizer, are db/repositories/dataset-search-repository.ts).
 */

/** Longest query we build: more terms only narrow further and cost more. */
const MAX_TERMS = 16;
/**
 * The index stores 3- and 4-character prefixes (prefix='3 4'): a prefix of 3 or 4 reads one list,
 * a longer one merges the few words it starts; shorter ones would merge a large part of the vocabulary.
 */
const MIN_PREFIX_CHARS = 3;

/**
 * An FTS5 expression for the row browser: every token a quoted term (all must match), the last one
 * a prefix while it is still being typed (no separator after it) and at least 3 characters long.
 * Null when the text holds nothing searchable. Never passes FTS5 syntax through.
 */
export function toFtsQuery(tokens: ReadonlyArray<string>, stillTyping: boolean): string | null {
  const terms = [...new Set(tokens.filter((t) => t.length > 0 && !t.includes('"')))].slice(0, MAX_TERMS);
  if (terms.length === 0) return null;
  return terms
    .map((t, i) => {
      const prefix = stillTyping && i === terms.length - 1 && [...t].length >= MIN_PREFIX_CHARS;
      return prefix ? `"${t}"*` : `"${t}"`;
    })
    .join(' ');
}

/** Whether the last word of a search box is still being typed: it ends in a letter or digit. */
export function endsInWord(text: string): boolean {
  return /[\p{L}\p{N}\p{M}]$/u.test(text);
}
