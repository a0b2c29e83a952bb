/**
 * Ingest half of the metrics benchmark: N trainer `log` events (loss + learning rate each) parsed
 * and batched by the real EventIngestor into SQLite, against a plain better-sqlite3 prepared-insert
 * loop of the same rows into the same table (same indexes), in the same run.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../db/open';
import { createCore } from '../../main/core';
import { defaultMigrationsDir } from '../../main/paths';
import { EventIngestor, type IngestState } from '../../main/training/event-ingestor';
import { seedMetricsJob } from '../helpers/metrics-seed';
import { makeTempDir } from '../helpers/temp-dir';

/** Lines per apply(): what the tailer hands the ingestor from one read of a busy events file. */
const BATCH_LINES = 2000;

function logLine(seq: number, step: number, ts: number): string {
  return JSON.stringify({
    v: 1,
    seq,
    ts: ts / 1000,
    type: 'log',
    step,
    epoch: null,
    loss: 2 - step / 1e6,
    learning_rate: 2e-4,
    grad_norm: null,
    tokens_seen: null,
    tokens_per_s: null,
    eta_s: null,
    gpu_mem_gb: null,
    step_time_s: null,
  });
}

/** Rows per second through the real path and through the bare insert loop. */
export async function benchIngest(
  events: number,
): Promise<{ ingestRowsPerS: number; rawInsertRowsPerS: number }> {
  const tmp = makeTempDir('lora-studio-bench-ingest-');
  try {
    // Two data folders with the real schema: one for the ingestor, one for the bare loop.
    for (const name of ['real', 'raw']) {
      const core = await createCore({ dataDir: join(tmp.dir, name), shell: 'test', training: false });
      await core.close();
    }
    const start = Date.UTC(2026, 0, 1);
    const realFile = join(tmp.dir, 'real', 'lora-studio.db');
    const rawFile = join(tmp.dir, 'raw', 'lora-studio.db');
    const realJob = seedMetricsJob(realFile, { points: 0 });
    const rawJob = seedMetricsJob(rawFile, { points: 0 });

    const lines: string[] = new Array(events);
    for (let i = 0; i < events; i++) lines[i] = logLine(i + 1, i + 1, start + i * 100);

    mkdirSync(join(tmp.dir, 'real', 'run'), { recursive: true });
    const real = await openDatabase({ file: realFile, migrationsDir: defaultMigrationsDir() });
    const state: IngestState = {
      status: 'running',
      offset: 0,
      lastSeq: 0,
      step: 0,
      maxSteps: events,
      etaSeconds: null,
      lastLoss: null,
      badLines: 0,
      nanStreak: 0,
      nanLimitStep: null,
    };
    const ingestor = new EventIngestor(
      {
        db: real.db,
        sqlite: real.sqlite,
        jobId: realJob,
        attempt: 1,
        runDir: join(tmp.dir, 'real', 'run'),
        now: Date.now,
      },
      state,
    );
    let t = performance.now();
    for (let i = 0; i < events; i += BATCH_LINES) {
      const batch = lines.slice(i, i + BATCH_LINES);
      await ingestor.apply({ lines: batch, invalid: 0, nextOffset: i + batch.length });
    }
    const realSeconds = (performance.now() - t) / 1000;
    const stored = (
      real.sqlite.prepare('SELECT COUNT(*) AS n FROM metrics_points WHERE job_id = ?').get(realJob) as {
        n: number;
      }
    ).n;
    real.close();
    if (stored !== events * 2) throw new Error(`the ingestor stored ${stored} rows, expected ${events * 2}`);

    const raw = await openDatabase({ file: rawFile, migrationsDir: defaultMigrationsDir() });
    const insert = raw.sqlite.prepare(
      'INSERT INTO metrics_points (job_id, name, step, value, ts, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const insertBatch = raw.sqlite.transaction((from: number, to: number) => {
      const now = Date.now();
      for (let i = from; i < to; i++) {
        const ts = start + i * 100;
        insert.run(rawJob, 'loss', i + 1, 2 - (i + 1) / 1e6, ts, now, now);
        insert.run(rawJob, 'learning_rate', i + 1, 2e-4, ts, now, now);
      }
    });
    t = performance.now();
    for (let i = 0; i < events; i += BATCH_LINES) insertBatch(i, Math.min(events, i + BATCH_LINES));
    const rawSeconds = (performance.now() - t) / 1000;
    raw.close();
    return {
      ingestRowsPerS: Math.round((events * 2) / realSeconds),
      rawInsertRowsPerS: Math.round((events * 2) / rawSeconds),
    };
  } finally {
    tmp.cleanup();
  }
}
