import { describe, expect, it } from 'vitest';
import { JsonArraySplitter } from '../../../../main/datasets/readers/json-array-splitter';

function elements(input: string, size = 1 << 20): { rows: Array<[number, unknown]>; key: string | null } {
  const bytes = Buffer.from(input);
  const splitter = new JsonArraySplitter();
  const rows: Array<[number, unknown]> = [];
  const onElement = (b: Buffer, line: number) => {
    const text = b.toString('utf8').trim();
    rows.push([line, text === '' ? '<cut>' : safeParse(text)]);
  };
  for (let i = 0; i < bytes.length; i += size) splitter.push(bytes.subarray(i, i + size), onElement);
  splitter.end(onElement);
  return { rows, key: splitter.containerKey };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return `<bad:${text}>`;
  }
}

const ARRAY = `[
  {"instruction": "a [tricky] {one}", "output": "with \\"quotes\\" and \\\\"},
  {"instruction": "é 中", "output": "]"},
  "a string row", 42,
  {"nested": [[1, 2], {"x": [3]}]}
]`;

describe('JSON array splitter', () => {
  it('streams the elements of a top-level array with the line each starts on', () => {
    const { rows, key } = elements(ARRAY);
    expect(key).toBeNull();
    expect(rows).toEqual([
      [2, { instruction: 'a [tricky] {one}', output: 'with "quotes" and \\' }],
      [3, { instruction: 'é 中', output: ']' }],
      [4, 'a string row'],
      [4, 42],
      [5, { nested: [[1, 2], { x: [3] }] }],
    ]);
  });

  it('gives the same elements whatever the chunk boundaries', () => {
    const expected = elements(ARRAY).rows;
    for (let size = 1; size <= 17; size++) expect(elements(ARRAY, size).rows).toEqual(expected);
  });

  it('finds the rows inside an object holding them, skipping other members', () => {
    const input =
      '{"version": "1.0", "tags": ["a", "b"], "meta": {"data": [{"not": "this"}]},\n' +
      ' "data": [{"text": "one"},\n {"text": "two"}], "after": [{"x": 1}]}';
    for (const size of [1, 5, 1 << 20]) {
      const { rows, key } = elements(input, size);
      expect(key).toBe('data');
      expect(rows).toEqual([
        [2, { text: 'one' }],
        [3, { text: 'two' }],
      ]);
    }
  });

  it('hands over a cut-off last element so it becomes an invalid row', () => {
    expect(elements('[{"text": "one"}, {"text": "tw').rows).toEqual([
      [1, { text: 'one' }],
      [1, '<bad:{"text": "tw>'],
    ]);
    expect(elements('[{"text": "one"},\n').rows).toEqual([
      [1, { text: 'one' }],
      [2, '<cut>'],
    ]);
  });

  it('refuses more JSON after the array, an object without rows and a bare value', () => {
    expect(() => elements('[{"a":1}]\n[{"b":2}]')).toThrow(
      /line 2: there is more JSON after the top-level value/,
    );
    expect(() => elements('{"name": "x", "messages": [{"role": "user"}]}')).toThrow(
      /holds no array of rows \(fields: `name`, `messages`\)/,
    );
    expect(() => elements('"just text"')).toThrow(/a single JSON value, not an array of rows/);
    expect(() => elements('   ')).toThrow(/no JSON value/);
  });

  it('keeps elements the JSON parser rejects as single rows (missing commas, garbage)', () => {
    const { rows } = elements('[{"a":1} {"b":2}, nonsense, {"c":3}]');
    expect(rows).toEqual([
      [1, '<bad:{"a":1} {"b":2}>'],
      [1, '<bad:nonsense>'],
      [1, { c: 3 }],
    ]);
  });
});
