import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  formatFromExtension,
  jsonLayout,
  rowsContainerKey,
  sniffDelimiter,
  sniffFile,
} from '../../../../main/datasets/readers/sniff-format';
import { makeTempDir } from '../../../helpers/temp-dir';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

async function sniff(name: string, content: string | Buffer) {
  const path = join(tmp.dir, name);
  writeFileSync(path, content);
  return sniffFile(path, Buffer.byteLength(content));
}

describe('format sniffing', () => {
  it('maps extensions', () => {
    expect(formatFromExtension('a/b.JSONL')).toBe('jsonl');
    expect(formatFromExtension('x.ndjson')).toBe('jsonl');
    expect(formatFromExtension('x.tsv')).toBe('tsv');
    expect(formatFromExtension('x.parquet')).toBe('parquet');
    expect(formatFromExtension('x.bin')).toBeNull();
  });

  it('reads the extent of the first JSON value', () => {
    expect(jsonLayout('  [{"a": "]"}]  ')).toEqual({ first: '[', closed: true, more: false });
    expect(jsonLayout('{"a":1}\n{"a":2}')).toEqual({ first: '{', closed: true, more: true });
    expect(jsonLayout('{"a": [1, 2')).toEqual({ first: '{', closed: false, more: false });
    expect(jsonLayout('"x"')).toEqual({ first: 'other', closed: false, more: false });
  });

  it('finds the array of rows in an object by the splitter rule', () => {
    expect(rowsContainerKey({ version: 1, tags: ['a'], data: [{ text: 'x' }] })).toBe('data');
    expect(rowsContainerKey({ messages: [{ role: 'user' }] })).toBeNull();
  });

  it('corrects the extension by the content, with a note', async () => {
    expect(await sniff('array.jsonl', '[{"text": "a"},\n {"text": "b"}]')).toMatchObject({
      format: 'json',
      notes: ['the file holds one JSON array, not JSON lines: read it as a JSON array'],
    });
    expect(await sniff('lines.json', '{"text": "a"}\n{"text": "b"}\n')).toMatchObject({
      format: 'jsonl',
      notes: ['the file holds one JSON value per line: read it as JSON lines'],
    });
    expect(await sniff('one.json', '{"messages": [{"role": "user", "content": "x"}]}')).toMatchObject({
      format: 'jsonl',
      notes: ['the file holds a single JSON object: read it as one row'],
    });
    expect((await sniff('wrapped.json', '{"data": [{"text": "a"}]}')).format).toBe('json');
    expect((await sniff('noext', 'a;b;c\n1;2;3\n')).format).toBe('csv');
    expect((await sniff('noext2', 'just some words\nand more\n')).format).toBe('txt');
    expect(await sniff('data.csv', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(20, 1)]))).toMatchObject({
      format: 'parquet',
      notes: ['the file is Parquet (it starts with PAR1)'],
    });
  });

  it('reports the encoding and refuses invalid UTF-8 at the start with its byte offset', async () => {
    expect((await sniff('bom.jsonl', '\ufeff{"text":"a"}\n')).encoding.encoding).toBe('utf-8-bom');
    await expect(sniff('bad.jsonl', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]))).rejects.toThrow(
      /^byte 2: invalid UTF-8/,
    );
  });
});

describe('CSV delimiter sniffing', () => {
  it('picks the delimiter that splits records consistently, ignoring quoted ones', () => {
    expect(sniffDelimiter('a,b,c\n1,2,3\n')).toBe(',');
    expect(sniffDelimiter('a;b;c\n"1,5";2;3\n4;5;6\n')).toBe(';');
    expect(sniffDelimiter('a\tb\n"x, y"\tz\n')).toBe('\t');
    expect(sniffDelimiter('a|b\n1|2\n')).toBe('|');
    expect(sniffDelimiter('text\n"multi\nline, with comma"\n')).toBe(',');
  });
});
