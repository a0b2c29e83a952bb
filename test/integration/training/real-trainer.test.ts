import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../../../main/core';
import type { JobDetail, MetricsResult } from '../../../preload/contract';
import { buildTinyModel, failWithoutPythonUnderCi } from '../../helpers/real-trainer-harness';
import { makeTempDir, waitFor } from '../../helpers/temp-dir';
import { openDataDirDb } from '../../helpers/test-db';
import { seedDatasetVersion } from '../../helpers/training-harness';

const python = process.env.LORA_STUDIO_TEST_PYTHON || undefined;
failWithoutPythonUnderCi('the core runs the real lora_trainer end to end');

describe.skipIf(python === undefined)('the core runs the real lora_trainer end to end', () => {
  const tmp = makeTempDir();
  const modelDir = join(tmp.dir, 'tiny-llama');
  const dataDir = join(tmp.dir, 'data');
  let core: Core;

  beforeAll(async () => {
    buildTinyModel(python as string, modelDir);
    core = await createCore({
      dataDir,
      shell: 'test',
      training: true,
      env: { ...process.env, LORA_STUDIO_PYTHON: python as string, PATH: `/nonexistent:${process.env.PATH}` },
    });
  }, 120_000);

  afterAll(async () => {
    await core?.close();
    tmp.cleanup();
  });

  it('trains, stores a falling loss curve and registers the adapter', async () => {
    const seeding = await openDataDirDb(dataDir);
    const versionId = seedDatasetVersion(seeding.db, dataDir, 24, 4);
    seeding.close();
    const created = await core.api.invoke('jobs.create', {
      name: 'tiny real run',
      datasetVersionId: versionId,
      modelPath: modelDir,
      gpuIndices: [],
      settings: {
        max_steps: 24,
        logging_steps: 2,
        save_steps: 12,
        eval_steps: 12,
        learning_rate: 0.01,
        lora_r: 8,
        lora_alpha: 16,
        max_seq_len: 128,
        per_device_batch_size: 4,
        warmup: 0,
        precision: 'fp32',
      },
    });
    expect(created.ok, JSON.stringify(created)).toBe(true);
    if (!created.ok) return;
    const id = (created.value as { id: string }).id;

    const done = await waitFor(
      async () => {
        const r = await core.api.invoke('jobs.get', { id });
        const job = r.ok ? (r.value as JobDetail) : null;
        return job && ['completed', 'failed', 'cancelled', 'interrupted'].includes(job.status) ? job : null;
      },
      { timeoutMs: 240_000, intervalMs: 500, what: 'the real trainer to finish' },
    );
    if (done.status !== 'completed') {
      const logs = await core.api.invoke('jobs.logs', { id, stream: 'stderr', tailLines: 40 });
      throw new Error(`job ${done.status}: ${done.error}\n${JSON.stringify(logs)}`);
    }
    expect(done.step).toBe(24);

    const metrics = await core.api.invoke('jobs.metrics', { id, names: ['loss', 'eval_loss'] });
    expect(metrics.ok).toBe(true);
    if (!metrics.ok) return;
    const result = metrics.value as MetricsResult;
    const loss = result.series.find((s) => s.metric === 'loss');
    const steps = (loss?.step ?? []) as number[];
    // Every logged step once, in order (the trainer also logs step 1).
    expect(steps.filter((s) => s % 2 === 0)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24]);
    expect(new Set(steps).size).toBe(steps.length);
    const first = loss?.value[0] ?? 0;
    const last = loss?.value.at(-1) ?? Number.POSITIVE_INFINITY;
    expect(last).toBeLessThan(first);

    const models = await core.api.invoke('models.list', {});
    expect(models.ok).toBe(true);
    if (!models.ok) return;
    const adapter = (models.value as { jobId: string; path: string; sizeBytes: number }[]).find(
      (m) => m.jobId === id,
    );
    expect(adapter?.sizeBytes).toBeGreaterThan(0);
    expect(existsSync(join(adapter?.path ?? '', 'adapter_config.json'))).toBe(true);
    console.info(`real trainer loss: ${(loss?.value ?? []).map((v) => v?.toFixed(3)).join(' → ')}`);
  }, 300_000);
});
