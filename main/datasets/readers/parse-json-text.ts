import type { RowProblem } from '../../../preload/contract';
import { formatCount } from './source-record';

/** Deeper rows are refused: recursive code downstream (stringify, structured clone) would overflow. */
export const MAX_JSON_DEPTH = 1000;

export type JsonParseResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problem: RowProblem };

const POSITION_RE = / (?:in JSON )?at position (\d+)(?: \(line \d+ column \d+\))?$/;

/**
 * Parse one row's JSON text, turning V8's errors into words a person can act on: cut-off JSON,
 * NaN/Infinity (Python writes them; JSON has no such numbers), the column of a syntax error, and
 * nesting too deep to handle. Duplicate keys follow JSON.parse (the last one wins); `__proto__`
 * becomes an ordinary own property, never the prototype.
 */
export function parseJsonText(text: string, maxDepth = MAX_JSON_DEPTH): JsonParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: { path: '$', message: describeJsonError(text, (error as Error).message) } };
  }
  if (typeof value === 'object' && value !== null && jsonDepthExceeds(text, maxDepth)) {
    return {
      ok: false,
      problem: { path: '$', message: `the JSON is nested more than ${formatCount(maxDepth)} levels deep` },
    };
  }
  return { ok: true, value };
}

function describeJsonError(text: string, message: string): string {
  if (message.includes('end of JSON input'))
    return 'the JSON is cut off (the row ends before the value is complete)';
  const positioned = POSITION_RE.exec(message);
  if (positioned) {
    const pos = Number(positioned[1]);
    const reason = message.slice(0, positioned.index);
    if (pos >= text.trimEnd().length || reason.startsWith('Unterminated string')) {
      return 'the JSON is cut off (the row ends before the value is complete)';
    }
    if (reason.startsWith('No number after minus sign') && text.startsWith('Infinity', pos)) {
      return nonFinite('-Infinity');
    }
    return `not valid JSON at column ${formatCount(pos + 1)}: ${lowerFirst(reason)}`;
  }
  const token = /^Unexpected token '(.)'/.exec(message)?.[1];
  if (token === 'N' && /\bNaN\b/.test(text)) return nonFinite('NaN');
  if (token === 'I' && /\bInfinity\b/.test(text)) return nonFinite('Infinity');
  return `not valid JSON: ${lowerFirst(message.length > 200 ? `${message.slice(0, 200)}…` : message)}`;
}

function nonFinite(word: string): string {
  return `\`${word}\` is not valid JSON (JSON has no NaN or Infinity); write null instead`;
}

function lowerFirst(s: string): string {
  return s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s;
}

/** Whether valid JSON text nests deeper than `limit` (strings skipped, escapes honoured). */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  const n = text.length;
  // Valid JSON deeper than `limit` needs more than `limit` opening and closing brackets each.
  if (n < 2 * (limit + 1)) return false;
  let depth = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = skipString(text, i + 1);
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
    i++;
  }
  return false;
}

/** Index just after the closing quote of a string whose content starts at `i`. */
function skipString(text: string, i: number): number {
  for (;;) {
    const q = text.indexOf('"', i);
    if (q === -1) return text.length;
    let backslashes = 0;
    for (let k = q - 1; k >= i && text.charCodeAt(k) === 0x5c; k--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    i = q + 1;
  }
}
