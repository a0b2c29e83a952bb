/**
 * The big-file variant of DATA-corpus (RELIABILITY.md): `lora-studio datasets import` of a multi-GB
 * JSONL file, as a person runs it, must import every row with its memory bounded, not growing with
 * the file. Size from LORA_STRESS_IMPORT_MB (`npm run test:stress` sets 5,120: a 5 GB file); peak RSS
 * from `/usr/bin/time -f %M` on the CLI process.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SIZE_MB = Number(process.env.LORA_STRESS_IMPORT_MB ?? 64);
/** The bound on the importing process's peak RSS, whatever the file's size. */
const PEAK_RSS_LIMIT_MB = 1024;
const TIME = '/usr/bin/time';

const dir = mkdtempSync(join(process.env.LORA_STRESS_TMP ?? tmpdir(), 'lora-big-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Write `mb` MiB of distinct chat rows (~1 KB each) in 4 MiB chunks; returns the row count. */
function writeBigJsonl(file: string, mb: number): number {
  const fd = openSync(file, 'w');
  const pad = 'lorem ipsum dolor sit amet '.repeat(30);
  const target = mb * 1024 * 1024;
  let rows = 0;
  let written = 0;
  try {
    while (written < target) {
      const lines: string[] = [];
      let chunk = 0;
      while (chunk < 4 * 1024 * 1024 && written + chunk < target) {
        const line = `${JSON.stringify({
          messages: [
            { role: 'user', content: `question ${rows}: ${pad}` },
            { role: 'assistant', content: `answer ${rows}` },
          ],
        })}\n`;
        lines.push(line);
        chunk += Buffer.byteLength(line);
        rows++;
      }
      writeSync(fd, lines.join(''));
      written += chunk;
    }
  } finally {
    closeSync(fd);
  }
  return rows;
}

/**
 * The built CLI, as a person runs it (`npm run test:stress` builds first). Run from source under tsx,
 * the TypeScript loader's own threads added ~90 MB to the peak.
 */
const CLI = resolve(ROOT, 'out', 'main', 'cli.js');

/** Run the CLI under /usr/bin/time: its exit code, stdout, and peak RSS in KiB. */
function importTimed(
  args: ReadonlyArray<string>,
): Promise<{ code: number | null; stdout: string; stderr: string; peakKb: number }> {
  return new Promise((res, rej) => {
    const child = spawn(TIME, ['-f', 'peak_rss_kb=%M', process.execPath, CLI, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', rej);
    child.on('close', (code) => {
      const peak = /peak_rss_kb=(\d+)/.exec(stderr);
      res({ code, stdout, stderr, peakKb: peak ? Number(peak[1]) : Number.NaN });
    });
  });
}

describe(`STRESS-import: a ${SIZE_MB} MB JSONL file`, () => {
  it('imports every row with the importing process under a fixed memory bound', async () => {
    expect(existsSync(TIME), `${TIME} measures the peak RSS`).toBe(true);
    expect(existsSync(CLI), `${CLI} is missing: run \`npm run build\` (npm run test:stress builds it)`).toBe(
      true,
    );
    const file = join(dir, `big-${SIZE_MB}mb.jsonl`);
    const t0 = performance.now();
    const rows = writeBigJsonl(file, SIZE_MB);
    const wroteS = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const run = await importTimed(['datasets', 'import', file, '--json', '--data-dir', join(dir, 'data')]);
    const importS = (performance.now() - t1) / 1000;
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as {
      rows: number;
      valid: number;
      invalid: number;
    };
    expect({ rows: summary.rows, valid: summary.valid, invalid: summary.invalid }).toEqual({
      rows,
      valid: rows,
      invalid: 0,
    });
    const peakMb = run.peakKb / 1024;
    console.info(
      `STRESS-import: ${SIZE_MB} MB, ${rows.toLocaleString('en')} rows imported in ${importS.toFixed(0)} s ` +
        `(${(SIZE_MB / importS).toFixed(1)} MB/s; file written in ${wroteS.toFixed(0)} s); peak RSS ${peakMb.toFixed(0)} MB`,
    );
    expect(peakMb).toBeLessThan(PEAK_RSS_LIMIT_MB);
  });
});
