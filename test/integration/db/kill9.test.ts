import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../helpers/temp-dir';

const WRITER = join(import.meta.dirname, '..', '..', 'fixtures', 'db-writer.mjs');
// 50 in `npm test`; `npm run test:stress` sets LORA_STRESS_KILL9_RUNS (500).
const RUNS = Number(process.env.LORA_STRESS_KILL9_RUNS ?? 50);
const BATCH = 200;

/** Start the writer, let it commit for a random while, SIGKILL it; resolve with the last acknowledged batch. */
function killMidWrite(file: string, synchronous: string, killAfterMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, file, String(BATCH), synchronous], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let acknowledged = 0;
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        const m = /^committed (\d+)$/.exec(line);
        if (m) acknowledged = Number(m[1]);
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited by itself: ${stderr}`));
      else resolve(acknowledged);
    });
  });
}

describe('DB-kill9: SIGKILL of a writer mid-transaction', () => {
  const tmp = makeTempDir();
  afterAll(() => tmp.cleanup());

  it(
    `keeps the database intact, with no half batch and every acknowledged commit, over ${RUNS} kills`,
    async () => {
      const failures: string[] = [];
      for (let run = 0; run < RUNS; run++) {
        const synchronous = run % 2 === 0 ? 'NORMAL' : 'FULL';
        const file = join(tmp.dir, `kill-${run % 5}.db`);
        const acknowledged = await killMidWrite(file, synchronous, 5 + Math.floor(Math.random() * 60));
        const db = new Database(file);
        const integrity = db.pragma('integrity_check', { simple: true });
        const { batches, rows } = db
          .prepare('SELECT COALESCE(MAX(batch), 0) AS batches, COUNT(*) AS rows FROM t')
          .get() as {
          batches: number;
          rows: number;
        };
        const partial = db
          .prepare('SELECT batch FROM t GROUP BY batch HAVING COUNT(*) != ? LIMIT 1')
          .get(BATCH);
        db.close();
        if (integrity !== 'ok') failures.push(`run ${run}: integrity_check ${String(integrity)}`);
        if (partial) failures.push(`run ${run}: half batch ${JSON.stringify(partial)}`);
        if (rows !== batches * BATCH) failures.push(`run ${run}: ${rows} rows for ${batches} batches`);
        if (batches < acknowledged)
          failures.push(`run ${run}: acknowledged ${acknowledged}, found ${batches}`);
      }
      console.info(
        `DB-kill9: ${RUNS - failures.length} of ${RUNS} SIGKILLed writers left an intact database`,
      );
      expect(failures).toEqual([]);
    },
    Math.max(120_000, RUNS * 3000),
  );
});
