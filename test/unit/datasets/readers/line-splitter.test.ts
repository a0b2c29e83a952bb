import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../../main/datasets/readers/line-splitter';

/** Split `input` fed in chunks of `size` bytes; returns [lineNumber, text] pairs. */
function split(input: string | Buffer, size = 1 << 20): Array<[number, string]> {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const splitter = new LineSplitter();
  const out: Array<[number, string]> = [];
  const onLine = (line: Buffer, n: number) => out.push([n, line.toString('utf8')]);
  for (let i = 0; i < bytes.length; i += size) splitter.push(bytes.subarray(i, i + size), onLine);
  splitter.end(onLine);
  return out;
}

describe('line splitter', () => {
  it('splits on LF, CRLF and a lone CR, mixed in one file, with exact line numbers', () => {
    expect(split('a\nb\r\nc\rd\n\ne')).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
      [4, 'd'],
      [5, ''],
      [6, 'e'],
    ]);
  });

  it('gives the same lines whatever the chunk boundaries, including a CRLF split across chunks', () => {
    const input = 'first\r\nsecond\rthird\n\r\n\rlast line é 中\r\n';
    const expected = split(input);
    expect(expected.map(([, t]) => t)).toEqual(['first', 'second', 'third', '', '', 'last line é 中']);
    for (let size = 1; size <= input.length; size++) expect(split(input, size)).toEqual(expected);
  });

  it('does not invent a last line after a final line break, and flushes one without it', () => {
    expect(split('a\n')).toEqual([[1, 'a']]);
    expect(split('a\r')).toEqual([[1, 'a']]);
    expect(split('a\nb')).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
  });

  it('handles a single 60 MB line (under the 64 MB limit) in linear time', () => {
    const line = Buffer.alloc(60 * 1024 * 1024, 0x61);
    const splitter = new LineSplitter();
    const lengths: number[] = [];
    const started = performance.now();
    for (let i = 0; i < line.length; i += 64 * 1024) {
      splitter.push(line.subarray(i, i + 64 * 1024), (l) => lengths.push(l.length));
    }
    splitter.push(Buffer.from('\nshort\n'), (l) => lengths.push(l.length));
    expect(lengths).toEqual([line.length, 5]);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('refuses a line longer than its limit with the line number', () => {
    const splitter = new LineSplitter(10);
    splitter.push(Buffer.from('ok\n'), () => {});
    expect(() => splitter.push(Buffer.from('x'.repeat(11)), () => {})).toThrow(
      /line 2 is longer than 10 bytes/,
    );
  });
});
