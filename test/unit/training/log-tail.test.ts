import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLogTail } from '../../../main/training/log-tail';
import { makeTempDir } from '../../helpers/temp-dir';

const tmp = makeTempDir('lora-logtail-');
afterAll(() => tmp.cleanup());

describe('log tail', () => {
  const file = join(tmp.dir, 'big.log');
  const all = Array.from({ length: 50_000 }, (_, i) => `line ${i} ${i % 1000 === 0 ? 'ERROR' : 'ok'} ü`);
  writeFileSync(file, `${all.join('\n')}\n`);

  it('returns the last lines, oldest first, and says there is more above', async () => {
    expect(await readLogTail(file, { tailLines: 3 })).toEqual({ lines: all.slice(-3), truncated: true });
    expect(await readLogTail(file, { tailLines: 60_000 })).toEqual({ lines: all, truncated: false });
  });

  it('searches case-insensitively from the end', async () => {
    const r = await readLogTail(file, { tailLines: 2, search: 'error' });
    expect(r.lines).toEqual(['line 48000 ERROR ü', 'line 49000 ERROR ü']);
    expect(r.truncated).toBe(true);
  });

  it('stops scanning after maxScanBytes and cuts very long lines', async () => {
    const r = await readLogTail(file, { tailLines: 100, search: 'line 0 ', maxScanBytes: 64 * 1024 });
    expect(r).toEqual({ lines: [], truncated: true });
    const longFile = join(tmp.dir, 'long.log');
    writeFileSync(longFile, `start\n${'z'.repeat(200_000)}`);
    const long = await readLogTail(longFile, { tailLines: 5, maxLineChars: 10 });
    expect(long).toEqual({ lines: ['start', 'zzzzzzzzzz…'], truncated: false });
  });

  it('treats a missing file as empty', async () => {
    expect(await readLogTail(join(tmp.dir, 'none.log'), { tailLines: 5 })).toEqual({
      lines: [],
      truncated: false,
    });
  });
});
