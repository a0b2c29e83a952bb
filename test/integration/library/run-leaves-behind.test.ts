/**
 * What a run leaves behind, through createCore with a fixture trainer and the fixture nvidia-smi
 * reporting power: one artifact with the right size and hash, one cost record whose energy is the
 * integral of the stored power samples (computed here independently, from the rows), and one
 * notification per event — completed, failed (OOM advice), cancelled, a budget crossing.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobCost, ModelArtifact, ModelArtifactDetail, Notification } from '../../../preload/contract';
import { call, createLibraryCore } from '../../helpers/library-core';
import { waitFor } from '../../helpers/temp-dir';

type Env = Awaited<ReturnType<typeof createLibraryCore>>;

/** Trapezoid rule per GPU over the stored rows; intervals over 5 s or with a null reading skipped. */
function integralWh(
  rows: ReadonlyArray<{ gpu_index: number; ts: number; power_draw_w: number | null }>,
): number {
  let wattMs = 0;
  const gpus = [...new Set(rows.map((r) => r.gpu_index))];
  for (const gpu of gpus) {
    const own = rows.filter((r) => r.gpu_index === gpu).sort((a, b) => a.ts - b.ts);
    for (let i = 1; i < own.length; i++) {
      const a = own[i - 1];
      const b = own[i];
      if (!a || !b || a.power_draw_w === null || b.power_draw_w === null) continue;
      const dt = b.ts - a.ts;
      if (dt > 0 && dt <= 5000) wattMs += ((a.power_draw_w + b.power_draw_w) / 2) * dt;
    }
  }
  return wattMs / 3_600_000;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('what a run leaves behind', () => {
  let env: Env | null = null;
  afterEach(async () => {
    await env?.close();
    env = null;
  });

  it('a completed run leaves one artifact, one cost record equal to the power integral, one notification', async () => {
    env = await createLibraryCore({ stepMs: 150 });
    await call(env.core, 'settings.update', { 'energy.pricePerKwh': 0.4, 'energy.currency': 'EUR' });
    const job = await env.createJob(30, 'alpaca r16');
    const done = await env.ended(job.id);
    expect(done.status, done.error ?? '').toBe('completed');

    const artifacts = await call<ModelArtifact[]>(env.core, 'models.list', {});
    expect(artifacts).toHaveLength(1);
    const artifact = artifacts[0] as ModelArtifact;
    const adapterDir = join(done.runDir, 'adapter');
    expect(artifact.path).toBe(adapterDir);
    const files = filesUnder(adapterDir);
    expect(artifact.sizeBytes).toBe(files.reduce((s, f) => s + statSync(f).size, 0));
    const weights = readFileSync(join(adapterDir, 'adapter_model.safetensors'));
    expect(artifact.sha256).toBe(createHash('sha256').update(weights).digest('hex'));
    expect(artifact.datasetVersionId).toBe(env.versionId);
    expect(artifact.datasetLabel).toBe('arithmetic v1');
    expect(artifact.metrics.finalLoss).not.toBeNull();
    const detail = await call<ModelArtifactDetail>(env.core, 'models.get', { id: artifact.id });
    expect(detail.files.map((f) => f.name)).toContain('adapter_model.safetensors');
    expect(detail.config).toMatchObject({ max_steps: 30 });
    expect(detail.baseModelConfigHash).toBe(
      createHash('sha256')
        .update(readFileSync(join(env.modelDir, 'config.json')))
        .digest('hex'),
    );

    const samples = env.sqlite
      .prepare('SELECT gpu_index, ts, power_draw_w FROM gpu_samples WHERE job_id = ?')
      .all(job.id) as Array<{ gpu_index: number; ts: number; power_draw_w: number | null }>;
    expect(samples.length).toBeGreaterThanOrEqual(3);
    expect(new Set(samples.map((s) => s.gpu_index))).toEqual(new Set([0]));
    const records = env.sqlite.prepare('SELECT * FROM cost_records WHERE job_id = ?').all(job.id) as Array<{
      energy_wh: number;
      cost: number;
      currency: string;
      final: number;
      gpu_name: string | null;
      cloud_cost: number | null;
    }>;
    expect(records).toHaveLength(1);
    const record = records[0];
    const expected = integralWh(samples);
    expect(expected).toBeGreaterThan(0);
    expect(record?.energy_wh).toBeCloseTo(expected, 9);
    expect(record?.cost).toBeCloseTo((expected / 1000) * 0.4, 12);
    expect(record).toMatchObject({ currency: 'EUR', final: 1, gpu_name: 'NVIDIA H100 80GB HBM3' });
    expect(record?.cloud_cost).toBeGreaterThan(0);
    const viaApi = await call<JobCost>(env.core, 'costs.job', { jobId: job.id });
    expect(viaApi.energyWh).toBeCloseTo(expected, 9);

    const rows = env.sqlite
      .prepare('SELECT kind, title, body FROM notifications WHERE job_id = ?')
      .all(job.id) as Array<{
      kind: string;
      title: string;
      body: string;
    }>;
    expect(rows).toEqual([
      expect.objectContaining({ kind: 'job.completed', title: 'Training finished: alpaca r16' }),
    ]);
    expect(rows[0]?.body).toMatch(/final loss \d\.\d{4}/);
    expect(rows[0]?.body).toMatch(/Wh, \d+\.\d{2,4} EUR/);

    // An app restart settles nothing twice: still one record, one notification.
    await env.restart();
    const again = await call<Notification[]>(env.core, 'notifications.list', { kinds: ['job.completed'] });
    expect(again).toHaveLength(1);
    expect((env.sqlite.prepare('SELECT COUNT(*) AS n FROM cost_records').get() as { n: number }).n).toBe(1);

    // A run whose record was never settled (the app stopped as it ended) is settled by the first look,
    // with the same integral, and read from that one row afterwards.
    const writer = new Database(join(env.dataDir, 'lora-studio.db'));
    writer.prepare('DELETE FROM cost_records WHERE job_id = ?').run(job.id);
    writer.close();
    const settled = await call<JobCost>(env.core, 'costs.job', { jobId: job.id });
    expect(settled.energyWh).toBeCloseTo(expected, 9);
    const stored = env.sqlite
      .prepare('SELECT energy_wh, final FROM cost_records WHERE job_id = ?')
      .all(job.id);
    expect(stored).toEqual([{ energy_wh: expect.closeTo(expected, 9), final: 1 }]);
  }, 60_000);

  it('a failure notifies with the first line of the error and, for OOM, what to try', async () => {
    env = await createLibraryCore({ fixture: 'oom.mjs' });
    const job = await env.createJob(30, 'too big');
    expect((await env.ended(job.id)).status).toBe('failed');
    const list = await call<Notification[]>(env.core, 'notifications.list', {});
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ kind: 'job.failed', jobId: job.id, title: 'Training failed: too big' });
    const [first, advice] = (list[0]?.body ?? '').split('\n');
    expect(first).toMatch(/^CUDA out of memory\. Tried to allocate 2\.00 GiB/);
    expect(advice).toMatch(
      /lower the batch size or the sequence length, or enable QLoRA or gradient checkpointing/,
    );
    expect(await call(env.core, 'models.list', {})).toEqual([]);
  }, 60_000);

  it('a cancel notifies once, with the step it stopped at', async () => {
    env = await createLibraryCore({ fixture: 'cancellable.mjs', stepMs: 200 });
    const job = await env.createJob(200, 'long one');
    await waitFor(
      async () =>
        (await call<{ status: string; step: number }>(env?.core as never, 'jobs.get', { id: job.id })).step >=
        2,
      {
        what: 'a few steps',
      },
    );
    await call(env.core, 'jobs.cancel', { id: job.id });
    expect((await env.ended(job.id)).status).toBe('cancelled');
    const list = await call<Notification[]>(env.core, 'notifications.list', { kinds: ['job.cancelled'] });
    expect(list).toHaveLength(1);
    expect(list[0]?.title).toBe('Training cancelled: long one');
    expect(list[0]?.body).toMatch(/Stopped at step \d+/);
  }, 60_000);

  it('crossing 80% and 100% of the monthly budget notifies once each, and "hold the queue" keeps jobs waiting', async () => {
    env = await createLibraryCore({ stepMs: 150 });
    // One ~5 s run at ~550 W is ~0.7 Wh: at 100/kWh that is ~0.07; the budget is a fraction of it.
    await call(env.core, 'settings.update', {
      'energy.pricePerKwh': 100,
      'budget.monthly': 0.001,
      'budget.holdQueue': true,
    });
    const first = await env.createJob(30, 'spends it');
    expect((await env.ended(first.id)).status).toBe('completed');
    const budget = await call<{ spent: number; holdReason: string | null }>(env.core, 'costs.budget', {});
    expect(budget.spent).toBeGreaterThan(0.001);
    expect(budget.holdReason).toMatch(/monthly budget of 0\.0010 EUR is spent/);
    const thresholds = await call<Notification[]>(env.core, 'notifications.list', {
      kinds: ['budget.threshold'],
    });
    expect(thresholds.map((n) => n.title).sort()).toEqual([
      expect.stringMatching(/^80% of the monthly budget used/),
      expect.stringMatching(/^Monthly budget spent/),
    ]);

    const held = await env.createJob(5, 'waits');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await call<{ status: string }>(env.core, 'jobs.get', { id: held.id })).status).toBe('queued');
    // Raising the budget lets it start at once.
    await call(env.core, 'settings.update', { 'budget.monthly': 1000 });
    expect((await env.ended(held.id)).status).toBe('completed');
    // The second run's records re-check the budget: no threshold notified twice.
    expect(
      await call<Notification[]>(env.core, 'notifications.list', { kinds: ['budget.threshold'] }),
    ).toHaveLength(2);
  }, 90_000);
});
