import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EventsTailer } from '../../../main/training/events-tailer';
import { makeTempDir, waitFor } from '../../helpers/temp-dir';

const tmp = makeTempDir('lora-tailer-');
const tailers: EventsTailer[] = [];
afterEach(async () => {
  for (const t of tailers.splice(0)) await t.close();
});
afterAll(() => tmp.cleanup());

function tailer(name: string, windowBytes?: number) {
  const t = new EventsTailer({ file: join(tmp.dir, name), windowBytes, pollMs: 20 });
  tailers.push(t);
  return t;
}

describe('events tailer', () => {
  it('hands out complete lines only; a partial last line is read again once finished', async () => {
    const file = join(tmp.dir, 'a.jsonl');
    const t = tailer('a.jsonl');
    expect(await t.read(0)).toEqual({ lines: [], invalid: 0, nextOffset: 0 }); // not there yet
    writeFileSync(file, 'one\r\ntwo\n\nthr');
    const first = await t.read(0);
    expect(first).toEqual({ lines: ['one', 'two'], invalid: 0, nextOffset: 10 });
    expect(await t.read(first.nextOffset)).toEqual({ lines: [], invalid: 0, nextOffset: 10 });
    appendFileSync(file, 'ee\n');
    expect(await t.read(first.nextOffset)).toEqual({ lines: ['three'], invalid: 0, nextOffset: 16 });
  });

  it('reads a big file in windows and never takes a line longer than the window', async () => {
    const file = join(tmp.dir, 'b.jsonl');
    const long = 'x'.repeat(300);
    writeFileSync(file, `a\n${long}\nb\n${'y'.repeat(50)}\n`);
    const t = tailer('b.jsonl', 100);
    const lines: string[] = [];
    let invalid = 0;
    let offset = 0;
    for (let i = 0; i < 20; i++) {
      const r = await t.read(offset);
      lines.push(...r.lines);
      invalid += r.invalid;
      if (r.nextOffset === offset && r.lines.length === 0) break;
      offset = r.nextOffset;
    }
    expect(lines).toEqual(['a', 'b', 'y'.repeat(50)]);
    expect(invalid).toBe(1);
    expect(offset).toBe(2 + 301 + 2 + 51);
  });

  it('counts invalid UTF-8 lines instead of decoding them to U+FFFD', async () => {
    writeFileSync(join(tmp.dir, 'c.jsonl'), Buffer.concat([Buffer.from('ok\n'), Buffer.from([0xff, 0x0a])]));
    expect(await tailer('c.jsonl').read(0)).toEqual({ lines: ['ok'], invalid: 1, nextOffset: 5 });
  });

  it('tells its owner when the file grows, including a file that appears later', async () => {
    const t = tailer('d.jsonl');
    let calls = 0;
    t.start(() => {
      calls++;
    });
    writeFileSync(join(tmp.dir, 'd.jsonl'), 'x\n');
    await waitFor(() => calls > 2);
    t.stopWatching();
    expect((await t.read(0)).lines).toEqual(['x']);
  });
});
