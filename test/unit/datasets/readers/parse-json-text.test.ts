import { describe, expect, it } from 'vitest';
import { jsonDepthExceeds, parseJsonText } from '../../../../main/datasets/readers/parse-json-text';

function problemOf(text: string): string {
  const result = parseJsonText(text);
  if (result.ok) throw new Error(`expected a problem for ${text}`);
  return result.problem.message;
}

describe('row JSON parsing', () => {
  it('says when the JSON is cut off', () => {
    for (const text of ['{"messages": [{"role": "user"', '{"a":"b', '{"a":1', '[1,2', '{"a":tru']) {
      expect(problemOf(text)).toBe('the JSON is cut off (the row ends before the value is complete)');
    }
  });

  it('names NaN, Infinity and -Infinity as not JSON, with what to write instead', () => {
    expect(problemOf('{"loss": NaN}')).toBe(
      '`NaN` is not valid JSON (JSON has no NaN or Infinity); write null instead',
    );
    expect(problemOf('{"loss": Infinity}')).toMatch(/^`Infinity` is not valid JSON/);
    expect(problemOf('{"loss": -Infinity}')).toMatch(/^`-Infinity` is not valid JSON/);
  });

  it('gives the column of other syntax errors', () => {
    expect(problemOf("{'a': 1}")).toBe("not valid JSON at column 2: expected property name or '}'");
    expect(problemOf('{"a":1}}')).toBe(
      'not valid JSON at column 8: unexpected non-whitespace character after JSON',
    );
  });

  it('refuses nesting deeper than the limit instead of overflowing the stack later', () => {
    const deep = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`;
    expect(problemOf(deep)).toBe('the JSON is nested more than 1,000 levels deep');
    expect(problemOf(`{"a":${'{"b":'.repeat(2000)}1${'}'.repeat(2000)}}`)).toMatch(/nested more than/);
    expect(parseJsonText(`${'['.repeat(900)}${']'.repeat(900)}`).ok).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included, when measuring depth', () => {
    expect(jsonDepthExceeds(`{"t":"${'[{'.repeat(3000)}\\"${'['.repeat(10)}"}`, 5)).toBe(false);
    expect(jsonDepthExceeds('[[[[[[]]]]]]', 5)).toBe(true);
  });

  it('keeps `__proto__` as an own property and never touches Object.prototype', () => {
    const result = parseJsonText('{"__proto__": {"polluted": true}, "text": "x"}');
    expect(result.ok).toBe(true);
    const value = (result as { value: Record<string, unknown> }).value;
    expect(Object.keys(value)).toEqual(['__proto__', 'text']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('parses duplicate keys (the last wins) and integers past 2^53 without failing', () => {
    expect(parseJsonText('{"text":"first","text":"last"}')).toEqual({ ok: true, value: { text: 'last' } });
    expect(parseJsonText('{"id": 123456789012345678901234567890}').ok).toBe(true);
  });
});
