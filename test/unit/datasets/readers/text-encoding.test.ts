import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  detectEncoding,
  firstInvalidUtf8,
  incompleteUtf8Tail,
  toUtf8Chunks,
} from '../../../../main/datasets/readers/text-encoding';

async function decodeAll(bytes: Buffer, size: number): Promise<string> {
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  const out: Buffer[] = [];
  for await (const c of toUtf8Chunks(chunks(), detectEncoding(bytes), 'JSON lines')) out.push(c);
  return Buffer.concat(out).toString('utf8');
}

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
}

describe('encoding detection', () => {
  it('recognises UTF-8 with and without BOM and UTF-16 LE/BE by their BOM', () => {
    expect(detectEncoding(Buffer.from('{"a":1}'))).toEqual({ encoding: 'utf-8', bomLength: 0 });
    expect(detectEncoding(Buffer.from('\ufeff{"a":1}'))).toEqual({ encoding: 'utf-8-bom', bomLength: 3 });
    expect(detectEncoding(Buffer.from('\ufeffab', 'utf16le'))).toEqual({
      encoding: 'utf-16le',
      bomLength: 2,
    });
    expect(detectEncoding(utf16be('\ufeffab'))).toEqual({ encoding: 'utf-16be', bomLength: 2 });
  });

  it('refuses binary data with the offset of the first NUL, and BOM-less UTF-16 with a hint', () => {
    const binary = Buffer.concat([Buffer.from('PK\x03\x04abcdefgh'), Buffer.from([0, 1, 2, 3])]);
    expect(() => detectEncoding(binary, 'JSON lines')).toThrow(
      'this looks like a binary file (NUL bytes at byte 12), not JSON lines',
    );
    expect(() => detectEncoding(Buffer.from('{"text": "hello there"}\n', 'utf16le'))).toThrow(
      /UTF-16 text without a byte-order mark/,
    );
    expect(() => detectEncoding(Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0]))).toThrow(/UTF-32/);
  });
});

describe('UTF-8 validation', () => {
  it('passes multi-byte characters split across any chunk boundary and drops the BOM', async () => {
    const text = '\ufeff{"text":"héllo 中文 🎉"}\n';
    for (let size = 1; size <= 8; size++)
      expect(await decodeAll(Buffer.from(text), size)).toBe(text.slice(1));
  });

  it('refuses invalid UTF-8 with the exact byte offset of the bad byte, across chunks', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"a":"ok"}\n{"b":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}\n'),
    ]);
    for (const size of [1, 3, 7, 1024]) {
      await expect(decodeAll(bytes, size)).rejects.toThrow(/^byte 17: invalid UTF-8/);
    }
  });

  it('refuses a file that ends in the middle of a character', async () => {
    await expect(decodeAll(Buffer.from([0x61, 0x0a, 0xe4, 0xb8]), 2)).rejects.toThrow(
      /^byte 2: invalid UTF-8/,
    );
  });

  it('finds the first invalid byte exactly where isUtf8 says there is one (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (arr) => {
        const bytes = Buffer.from(arr);
        const bad = firstInvalidUtf8(bytes);
        expect(bad === -1).toBe(isUtf8(bytes));
        if (bad > 0) expect(isUtf8(bytes.subarray(0, bad))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('counts the bytes of an unfinished sequence at the end of a chunk', () => {
    expect(incompleteUtf8Tail(Buffer.from([0x61, 0xe4, 0xb8]))).toBe(2);
    expect(incompleteUtf8Tail(Buffer.from([0x61, 0xe4, 0xb8, 0xad]))).toBe(0);
    expect(incompleteUtf8Tail(Buffer.from([0xf0, 0x9f, 0x8e]))).toBe(3);
    expect(incompleteUtf8Tail(Buffer.from('abc'))).toBe(0);
  });
});

describe('UTF-16', () => {
  it('transcodes UTF-16 LE and BE (BOM dropped) to UTF-8 across odd chunk boundaries', async () => {
    const text = '{"text":"héllo 🎉"}\r\n';
    expect(await decodeAll(Buffer.from(`\ufeff${text}`, 'utf16le'), 3)).toBe(text);
    expect(await decodeAll(utf16be(`\ufeff${text}`), 5)).toBe(text);
  });

  it('refuses a broken surrogate pair', async () => {
    const bytes = Buffer.concat([Buffer.from('\ufeffab', 'utf16le'), Buffer.from([0x3d, 0xd8, 0x61, 0x00])]);
    await expect(decodeAll(bytes, 4)).rejects.toThrow(/invalid UTF-16LE/);
  });
});
