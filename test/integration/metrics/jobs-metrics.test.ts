import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../../../main/core';
import type { MetricSeries, MetricsResult } from '../../../preload/contract';
import {
  DIP_STEP,
  DIP_VALUE,
  SPIKE_STEP,
  SPIKE_VALUE,
  seededLoss,
  seedMetricsJob,
} from '../../helpers/metrics-seed';
import { makeTempDir } from '../../helpers/temp-dir';

const POINTS = 1_000_000;
const START = Date.UTC(2026, 0, 1);
const STEP_MS = 100;

describe('jobs.metrics on a real SQLite file with 1,000,000 points', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let core: Core;
  let jobId: string;

  beforeAll(async () => {
    tmp = makeTempDir();
    core = await createCore({ dataDir: tmp.dir, shell: 'test', training: false });
    jobId = seedMetricsJob(join(tmp.dir, 'lora-studio.db'), {
      points: POINTS,
      startTs: START,
      stepMs: STEP_MS,
      gpus: [0, 1],
    });
    const db = join(tmp.dir, 'lora-studio.db');
    // A bookkeeping series the charts must never see.
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(db);
    raw
      .prepare(
        "INSERT INTO metrics_points (job_id, name, step, value, ts, created_at, updated_at) VALUES (?, '_bad_event_lines', 0, 3, 0, 0, 0)",
      )
      .run(jobId);
    raw.close();
  }, 120_000);
  afterAll(async () => {
    await core?.close();
    tmp?.cleanup();
  });

  async function metrics(input: Record<string, unknown>): Promise<MetricsResult> {
    const result = await core.api.invoke('jobs.metrics', { id: jobId, ...input });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    return result.value as MetricsResult;
  }
  const loss = (r: MetricsResult): MetricSeries => r.series.find((s) => s.metric === 'loss')!;

  it('returns at most the budget, keeping each bucket’s min and max (spike and dip included)', async () => {
    const result = await metrics({ names: ['loss'], gpu: false, maxPoints: 2000 });
    const series = loss(result);
    expect(series.total).toBe(POINTS);
    expect(series.downsampled).toBe(true);
    expect(series.step.length).toBeLessThanOrEqual(2000);
    expect(series.step.length).toBeGreaterThan(1000);
    const steps = series.step as number[];
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    expect(series.value[steps.indexOf(SPIKE_STEP)]).toBe(SPIKE_VALUE);
    expect(series.value[steps.indexOf(DIP_STEP)]).toBe(DIP_VALUE);

    // Buckets are 2^k steps wide, the narrowest power of two that gives at most 1,000 of them
    // (2,000 points): 1,024 here. Recompute every bucket's extremes and find both in the answer.
    const width = 1024;
    const buckets = Math.floor(POINTS / width) + 1;
    const min = new Float64Array(buckets).fill(Number.POSITIVE_INFINITY);
    const max = new Float64Array(buckets).fill(Number.NEGATIVE_INFINITY);
    for (let step = 1; step <= POINTS; step++) {
      const b = Math.floor(step / width);
      const v = seededLoss(step);
      if (v < min[b]!) min[b] = v;
      if (v > max[b]!) max[b] = v;
    }
    const returned = new Map<number, number[]>();
    steps.forEach((step, i) => {
      const b = Math.floor(step / width);
      returned.set(b, [...(returned.get(b) ?? []), series.value[i]!]);
    });
    expect(returned.size).toBe(buckets);
    for (let b = 0; b < buckets; b++) {
      const values = returned.get(b)!;
      expect(values).toContain(min[b]);
      expect(values).toContain(max[b]);
    }
  });

  it('gives full detail in a zoomed range', async () => {
    const result = await metrics({ names: ['loss'], gpu: false, fromStep: 500_000, toStep: 501_499 });
    const series = loss(result);
    expect(series.downsampled).toBe(false);
    expect(series.total).toBe(1500);
    expect(series.step).toEqual(Array.from({ length: 1500 }, (_, i) => 500_000 + i));
    expect(series.value[10]).toBe(seededLoss(500_010));
    expect(series.ts[0]).toBe(START + 500_000 * STEP_MS);
  });

  it('cuts buckets along wall time and limits a time range', async () => {
    const fromTs = START + 200_000 * STEP_MS;
    const toTs = START + 400_000 * STEP_MS;
    const result = await metrics({
      names: ['loss'],
      gpu: false,
      xAxis: 'time',
      fromTs,
      toTs,
      maxPoints: 500,
    });
    const series = loss(result);
    expect(result.xAxis).toBe('time');
    expect(series.total).toBe(200_001);
    expect(series.ts.length).toBeLessThanOrEqual(500);
    expect(Math.min(...series.ts)).toBeGreaterThanOrEqual(fromTs);
    expect(Math.max(...series.ts)).toBeLessThanOrEqual(toTs);
  });

  it('adds each GPU’s utilisation, memory (GiB), temperature and power, limited to a step range’s time', async () => {
    const all = await metrics({ names: [], maxPoints: 2000 });
    const gpu = all.series.filter((s) => s.gpuIndex !== null);
    expect(gpu.map((s) => `${s.gpuIndex}:${s.metric}`)).toEqual([
      '0:gpu.utilization',
      '0:gpu.memory',
      '0:gpu.temperature',
      '0:gpu.power',
      '1:gpu.utilization',
      '1:gpu.memory',
      '1:gpu.temperature',
      '1:gpu.power',
    ]);
    const memory1 = gpu.find((s) => s.gpuIndex === 1 && s.metric === 'gpu.memory')!;
    expect(memory1.unit).toBe('GiB');
    expect(memory1.value[0]).toBe(41); // 41,984 MiB = 41 GiB
    expect(memory1.total).toBe(POINTS / 10 + 1);
    expect(memory1.value.length).toBeLessThanOrEqual(2000);
    expect(all.startTs).toBe(START);

    const zoomed = await metrics({ names: ['loss'], fromStep: 10_000, toStep: 19_999 });
    const util = zoomed.series.find((s) => s.gpuIndex === 0 && s.metric === 'gpu.utilization')!;
    expect(util.downsampled).toBe(false);
    expect(util.total).toBe(1000);
    expect(Math.min(...util.ts)).toBeGreaterThanOrEqual(START + 10_000 * STEP_MS);
  });

  it('lists public series only, and refuses unknown jobs and reversed ranges', async () => {
    const names = (await metrics({ gpu: false, fromStep: 1, toStep: 10 })).series.map((s) => s.metric);
    expect(names).toEqual(['loss']);
    const missing = await core.api.invoke('jobs.metrics', { id: 'job_nope' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const reversed = await core.api.invoke('jobs.metrics', { id: jobId, fromStep: 10, toStep: 5 });
    expect(reversed).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(JSON.stringify(reversed)).toContain('fromStep must not be after toStep');
  });
});
