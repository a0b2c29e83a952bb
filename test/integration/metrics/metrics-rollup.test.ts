import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/open';
import { type Core, createCore } from '../../../main/core';
import { defaultMigrationsDir } from '../../../main/paths';
import { EventIngestor, type IngestState } from '../../../main/training/event-ingestor';
import type { MetricSeries, MetricsResult } from '../../../preload/contract';
import { seedMetricsJob } from '../../helpers/metrics-seed';
import { makeTempDir } from '../../helpers/temp-dir';
import { openDataDirDb } from '../../helpers/test-db';

/**
 * The rollup against the points themselves, on a real run's events: the recorded tiny-llama run
 * (test/fixtures/trainer-streams), its log and eval events tiled into a long run of 4,000 × 30
 * steps, ingested through the real EventIngestor in 2,000-line reads; then a second attempt that
 * resumed from step 60,000 and re-ran 30,000 steps with other values. Every answer of jobs.metrics
 * must equal the exact buckets recomputed here from every stored point.
 */
const RECORDING = resolve(
  import.meta.dirname,
  '..',
  '..',
  'fixtures',
  'trainer-streams',
  'tiny-llama-cpu-fp32.jsonl',
);
const REPS = 4000;
const PERIOD = 30;
const RESUME_AT = 60_000;
const RESUME_REPS = 1000;

interface Recorded {
  type: string;
  step: number;
  ts: number;
  [key: string]: unknown;
}

function tiled(
  recorded: ReadonlyArray<Recorded>,
  fromRep: number,
  toRep: number,
  scale: number,
  seq0: number,
): string[] {
  const lines: string[] = [];
  let seq = seq0;
  const t0 = recorded[0]!.ts;
  for (let rep = fromRep; rep < toRep; rep++) {
    for (const e of recorded) {
      const event: Record<string, unknown> = { ...e, seq: ++seq, step: e.step + rep * PERIOD };
      event.ts = t0 + rep * 20 + (e.ts - t0) + (scale === 1 ? 0 : 1e6);
      if (typeof e.loss === 'number') event.loss = e.loss * scale;
      if (typeof e.eval_loss === 'number') event.eval_loss = e.eval_loss * scale;
      lines.push(JSON.stringify(event));
    }
  }
  return lines;
}

function state(): IngestState {
  return {
    status: 'running',
    offset: 0,
    lastSeq: 0,
    step: 0,
    maxSteps: REPS * PERIOD,
    etaSeconds: null,
    lastLoss: null,
    badLines: 0,
    nanStreak: 0,
    nanLimitStep: null,
  };
}

type Row = { step: number; ts: number; value: number | null; attempt: number };
type Point = { step: number; ts: number; value: number };

/** The exact answer: every stored point, split at the resume, cut into 2^k-step buckets. */
function exactBuckets(
  rows: ReadonlyArray<Row>,
  keep: (r: Row) => boolean,
  maxPoints: number,
): { step: number[]; value: Array<number | null>; total: number } {
  const kept = rows.filter(keep);
  if (kept.length === 0) return { step: [], value: [], total: 0 };
  const lo = Math.min(...kept.map((r) => r.step));
  const hi = Math.max(...kept.map((r) => r.step));
  let width = 1;
  if (hi - lo + 1 > maxPoints) {
    while (Math.floor(hi / width) - Math.floor(lo / width) + 1 > maxPoints / 2) width *= 2;
  }
  const buckets = new Map<number, { min: Point | null; max: Point | null }>();
  for (const r of kept) {
    const b = Math.floor(r.step / width);
    const bucket = buckets.get(b) ?? { min: null, max: null };
    buckets.set(b, bucket);
    if (r.value === null) continue;
    const p = { step: r.step, ts: r.ts, value: r.value };
    const { min, max } = bucket;
    if (min === null || p.value < min.value || (p.value === min.value && p.step < min.step)) bucket.min = p;
    if (max === null || p.value > max.value || (p.value === max.value && p.step < max.step)) bucket.max = p;
  }
  const step: number[] = [];
  const value: Array<number | null> = [];
  for (const b of [...buckets.keys()].sort((x, y) => x - y)) {
    const { min, max } = buckets.get(b)!;
    const pair = [min, max].filter((p): p is Point => p !== null);
    if (pair.length === 2 && pair[0]!.step === pair[1]!.step) pair.pop();
    for (const p of pair.sort((x, y) => x.step - y.step)) {
      step.push(p.step);
      value.push(p.value);
    }
  }
  return { step, value, total: kept.length };
}

describe('the metrics rollup on a real run’s events', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let core: Core;
  let jobId: string;
  let recorded: Recorded[];

  async function ingest(attempt: number, lines: ReadonlyArray<string>): Promise<void> {
    const db = await openDataDirDb(tmp.dir);
    try {
      const runDir = join(tmp.dir, 'runs', jobId);
      mkdirSync(runDir, { recursive: true });
      const ingestor = new EventIngestor(
        { db: db.db, sqlite: db.sqlite, jobId, attempt, runDir, now: Date.now },
        state(),
      );
      for (let i = 0; i < lines.length; i += 2000) {
        const batch = lines.slice(i, i + 2000);
        await ingestor.apply({ lines: batch, invalid: 0, nextOffset: i + batch.length });
      }
    } finally {
      db.close();
    }
  }

  async function rowsOf(name: string): Promise<Row[]> {
    const db = await openDataDirDb(tmp.dir);
    try {
      return db.sqlite
        .prepare(
          'SELECT step, ts, value, attempt FROM metrics_points WHERE job_id = ? AND name = ? ORDER BY step',
        )
        .all(jobId, name) as Row[];
    } finally {
      db.close();
    }
  }

  async function metrics(input: Record<string, unknown>): Promise<MetricsResult> {
    const result = await core.api.invoke('jobs.metrics', { id: jobId, gpu: false, ...input });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    return result.value as MetricsResult;
  }

  /** Compare every answer for these ranges and budgets with the exact buckets. */
  async function expectExact(names: ReadonlyArray<string>): Promise<number> {
    const ranges: Array<[number, number]> = [
      [0, Number.MAX_SAFE_INTEGER],
      [12_345, 98_765],
      [59_001, 61_017],
      [61_000, 70_000],
      [1, 3_000],
      [100_000, 100_000],
    ];
    let compared = 0;
    for (const name of names) {
      const rows = await rowsOf(name);
      for (const [fromStep, toStep] of ranges) {
        for (const maxPoints of [2000, 500, 40, 20_000]) {
          const result = await metrics({ names: [name], fromStep, toStep, maxPoints });
          const series = result.series.find((s) => s.metric === name) as MetricSeries;
          const inRange = (r: Row) => r.step >= fromStep && r.step <= toStep;
          const current = exactBuckets(
            rows,
            (r) => inRange(r) && (r.attempt === 2 || r.step <= RESUME_AT),
            maxPoints,
          );
          const label = `${name} ${fromStep}–${toStep} at ${maxPoints}`;
          expect(series.step, label).toEqual(current.step);
          expect(series.value, label).toEqual(current.value);
          expect(series.total, label).toBe(current.total);
          expect(series.step.length, label).toBeLessThanOrEqual(maxPoints);
          const superseded = exactBuckets(
            rows,
            (r) => inRange(r) && r.attempt === 1 && r.step > RESUME_AT,
            Math.max(200, Math.floor(maxPoints / 4)),
          );
          expect(series.superseded?.step ?? [], label).toEqual(superseded.step);
          expect(series.superseded?.value ?? [], label).toEqual(superseded.value);
          expect(series.superseded?.total ?? 0, label).toBe(superseded.total);
          compared++;
        }
      }
    }
    return compared;
  }

  beforeAll(async () => {
    tmp = makeTempDir();
    core = await createCore({ dataDir: tmp.dir, shell: 'test', training: false });
    jobId = seedMetricsJob(join(tmp.dir, 'lora-studio.db'), { points: 0 });
    recorded = readFileSync(RECORDING, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Recorded)
      .filter((e) => e.type === 'log' || e.type === 'eval');
    await ingest(1, tiled(recorded, 0, REPS, 1, 0));
    const started = JSON.stringify({
      v: 1,
      seq: 1,
      ts: recorded[0]!.ts + 2e6,
      type: 'started',
      max_steps: REPS * PERIOD,
      resumed_from_step: RESUME_AT,
    });
    const resumeRep = RESUME_AT / PERIOD;
    await ingest(2, [started, ...tiled(recorded, resumeRep, resumeRep + RESUME_REPS, 0.5, 1)]);
  }, 180_000);

  afterAll(async () => {
    await core?.close();
    tmp?.cleanup();
  }, 120_000);

  it('answers every range and budget with the exact min/max buckets, current and superseded apart', async () => {
    const compared = await expectExact(['loss', 'learning_rate', 'eval_loss', 'tokens_per_s']);
    expect(compared).toBe(4 * 6 * 4);
    // The resumed attempt's curve is the current one past the resume; the first's is kept apart.
    const loss = (await metrics({ names: ['loss'], fromStep: 60_001, toStep: 60_030 })).series[0]!;
    expect(loss.superseded).toMatchObject({ attempts: [1], fromStep: 60_001, toStep: 60_030 });
    const recordedFirst = recorded.find((e) => e.type === 'log')!;
    expect(loss.value[0]).toBe((recordedFirst.loss as number) * 0.5);
    expect(loss.superseded!.value[0]).toBe(recordedFirst.loss as number);
  }, 120_000);

  it('reads a time range (a live chart’s “since t”, a zoom along wall time) from the buckets that meet it', async () => {
    const rows = await rowsOf('loss');
    const current = rows.filter((r) => r.attempt === 2 || r.step <= RESUME_AT);
    const byTs = [...current].sort((a, b) => a.ts - b.ts);
    const windows: Array<[number, number | undefined]> = [
      [byTs.at(-50)!.ts, undefined],
      [byTs[10_000]!.ts, byTs[10_500]!.ts],
      [byTs[31_990]!.ts, byTs[32_010]!.ts],
    ];
    for (const [fromTs, toTs] of windows) {
      const series = (await metrics({ names: ['loss'], fromTs, toTs, maxPoints: 20_000 })).series[0]!;
      const inWindow = (r: Row) => r.ts >= fromTs && r.ts <= (toTs ?? Number.MAX_SAFE_INTEGER);
      const expected = current.filter(inWindow);
      expect(series.step).toEqual(expected.map((r) => r.step));
      expect(series.value).toEqual(expected.map((r) => r.value));
      const old = rows.filter((r) => r.attempt === 1 && r.step > RESUME_AT && inWindow(r));
      // The superseded points (all between the two attempts in time) have a quarter of the budget.
      expect(series.superseded?.total ?? 0).toBe(old.length);
      if (old.length <= 5000) expect(series.superseded?.step ?? []).toEqual(old.map((r) => r.step));
    }
    // Downsampled along time: every point counted, the extremes kept.
    const fromTs = byTs[100]!.ts;
    const series = (await metrics({ names: ['loss'], xAxis: 'time', fromTs, maxPoints: 500 })).series[0]!;
    const expected = current.filter((r) => r.ts >= fromTs);
    expect(series.total).toBe(expected.length);
    expect(series.value.length).toBeLessThanOrEqual(500);
    const values = expected.map((r) => r.value!);
    expect(series.value).toContain(Math.min(...values));
    expect(series.value).toContain(Math.max(...values));
    expect([...series.ts].sort((a, b) => a - b)).toEqual(series.ts);
  }, 120_000);

  it('recomputes the buckets of points that an events file read again replaced', async () => {
    // A re-read of attempt 1's first 3,600 lines, its loss changed, must not count twice.
    await ingest(1, tiled(recorded, 0, 200, 3, 0));
    await expectExact(['loss', 'eval_loss']);
    const whole = (await metrics({ names: ['loss'] })).series[0]!;
    const lossPoints = recorded.filter((e) => e.type === 'log').length;
    expect(whole.total).toBe((RESUME_AT / PERIOD) * lossPoints + RESUME_REPS * lossPoints);
  }, 120_000);

  it('back-fills the same rollup in its migration for runs stored before it', async () => {
    const db = await openDataDirDb(tmp.dir);
    const dump = (sqlite: typeof db.sqlite) =>
      sqlite
        .prepare(
          `SELECT job_id, level, name, attempt, bucket, count, value_count, ROUND(sum, 6) AS sum, first_step, last_step, ts_lo, ts_hi,
             min_value, min_step, min_ts, max_value, max_step, max_ts FROM metrics_rollup ORDER BY 1, 2, 3, 4, 5`,
        )
        .all();
    const built = dump(db.sqlite);
    db.close();
    expect(built.length).toBeGreaterThan(1000);

    // An older database (migrations up to 0007) holding the same job and points, then upgraded.
    const old = join(tmp.dir, 'old');
    const migrations = join(old, 'migrations');
    cpSync(defaultMigrationsDir(), migrations, { recursive: true });
    const journalFile = join(migrations, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: Array<{ tag: string }> };
    const rollupTag = journal.entries.find((e) => e.tag.endsWith('_metrics_rollup'))!.tag;
    const before = journal.entries.slice(
      0,
      journal.entries.findIndex((e) => e.tag === rollupTag),
    );
    writeFileSync(journalFile, JSON.stringify({ ...journal, entries: before }));
    rmSync(join(migrations, `${rollupTag}.sql`));
    const file = join(old, 'old.db');
    const older = await openDatabase({ file, migrationsDir: migrations });
    older.sqlite.exec(`ATTACH '${join(tmp.dir, 'lora-studio.db')}' AS cur`);
    older.sqlite.exec('INSERT INTO training_jobs SELECT * FROM cur.training_jobs');
    older.sqlite.exec(
      `INSERT INTO metrics_points (job_id, name, step, value, ts, attempt, created_at, updated_at)
       SELECT job_id, name, step, value, ts, attempt, created_at, updated_at FROM cur.metrics_points`,
    );
    older.sqlite.exec('DETACH cur');
    older.close();
    const upgraded = await openDatabase({ file, migrationsDir: defaultMigrationsDir() });
    const filled = dump(upgraded.sqlite);
    upgraded.close();
    expect(filled).toEqual(built);
  }, 120_000);
});
