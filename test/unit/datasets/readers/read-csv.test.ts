import { describe, expect, it } from 'vitest';
import { type CsvDelimiter, type CsvLayout, readCsv } from '../../../../main/datasets/readers/read-csv';
import type { SourceRecord } from '../../../../main/datasets/readers/source-record';

async function* chunks(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(
  text: string,
  delimiter: CsvDelimiter = ',',
  size = 1 << 20,
  mapping?: Record<string, string>,
): Promise<{ records: SourceRecord[]; layout: CsvLayout }> {
  const layout: CsvLayout = { columns: null, notes: [] };
  const records: SourceRecord[] = [];
  for await (const batch of readCsv(chunks(text, size), { delimiter, mapping, layout }))
    records.push(...batch);
  return { records, layout };
}

describe('CSV reader', () => {
  it('reads quoted delimiters, doubled quotes and embedded newlines, with the line each record starts on', async () => {
    const csv = 'instruction,output\r\n"Say ""hi"", please","hi, there"\r\n\r\n"multi\nline",ok\nlast,one';
    for (const size of [1, 4, 1 << 20]) {
      const { records, layout } = await read(csv, ',', size);
      expect(layout.columns).toEqual(['instruction', 'output']);
      expect(records.map((r) => [r.lineNumber, r.value])).toEqual([
        [2, { instruction: 'Say "hi", please', output: 'hi, there' }],
        [4, { instruction: 'multi\nline', output: 'ok' }],
        [6, { instruction: 'last', output: 'one' }],
      ]);
    }
  });

  it('keeps ragged records as rows with a problem naming the field counts', async () => {
    const { records } = await read('a,b,c\n1,2\n1,2,3,4\n1,2,3\n');
    expect(records.map((r) => [r.lineNumber, r.problem?.message ?? null])).toEqual([
      [2, '2 fields, expected 3 (as in the header)'],
      [3, '4 fields, expected 3 (as in the header)'],
      [4, null],
    ]);
    expect(JSON.parse(records[1]!.originalJson)).toEqual({ a: '1', b: '2', c: '3', _extra: ['4'] });
  });

  it('renames duplicate and empty column names, with a note for each', async () => {
    const { records, layout } = await read('text,text,,text\na,b,c,d\n');
    expect(layout.columns).toEqual(['text', 'text_2', 'column_3', 'text_3']);
    expect(layout.notes).toEqual([
      'duplicate column `text` renamed `text_2`',
      'column 3 has no name: called it `column_3`',
      'duplicate column `text` renamed `text_3`',
    ]);
    expect(records[0]!.value).toEqual({ text: 'a', text_2: 'b', column_3: 'c', text_3: 'd' });
  });

  it('reads semicolon and tab delimited files', async () => {
    expect((await read('prompt;completion\n"a;b";c\n', ';')).records[0]!.value).toEqual({
      prompt: 'a;b',
      completion: 'c',
    });
    expect((await read('prompt\tcompletion\na\tb\n', '\t')).records[0]!.value).toEqual({
      prompt: 'a',
      completion: 'b',
    });
  });

  it('keeps formula cells as plain text', async () => {
    const { records } = await read('text\n"=cmd|\' /C calc\'!A0"\n+1\n@SUM(A1)\n');
    expect(records.map((r) => r.value)).toEqual([
      { text: "=cmd|' /C calc'!A0" },
      { text: '+1' },
      { text: '@SUM(A1)' },
    ]);
  });

  it('applies a column mapping and parses JSON text in list columns', async () => {
    const csv = 'q,a,msgs\nWhat?,That.,"[{""role"":""user"",""content"":""x""}]"\n';
    const { records } = await read(csv, ',', 1 << 20, { prompt: 'q', completion: 'a' });
    expect(records[0]!.value).toEqual({ prompt: 'What?', completion: 'That.' });
    expect(JSON.parse(records[0]!.originalJson)).toEqual({
      q: 'What?',
      a: 'That.',
      msgs: '[{"role":"user","content":"x"}]',
    });
    const unmapped = await read(csv.replace('msgs', 'messages'));
    expect(unmapped.records[0]!.value).toMatchObject({ messages: [{ role: 'user', content: 'x' }] });
  });

  it('refuses a mapping to a missing column or an unknown field', async () => {
    await expect(read('a,b\n1,2\n', ',', 1 << 20, { prompt: 'nope' })).rejects.toThrow(
      'column `nope` (mapped to `prompt`) is not in the file; its columns are `a`, `b`',
    );
    await expect(read('a,b\n1,2\n', ',', 1 << 20, { bogus: 'a' })).rejects.toThrow(/unknown field `bogus`/);
  });

  it('refuses a quote that is never closed, naming its line', async () => {
    await expect(read('text\nok\n"never closed\nmore\n')).rejects.toThrow(
      /^line \d+: a quoted field is never closed/,
    );
  });

  it('makes a column named __proto__ an ordinary field', async () => {
    const { records } = await read('__proto__,text\n{"polluted":1},hello\n');
    const value = records[0]!.value as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__', 'text']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
