import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../../../main/core';
import type { JobDetail, MetricsResult, PushedEvent } from '../../../preload/contract';
import { buildTinyModel, failWithoutPythonUnderCi } from '../../helpers/real-trainer-harness';
import { makeTempDir, waitFor } from '../../helpers/temp-dir';

const python = process.env.LORA_STUDIO_TEST_PYTHON || undefined;
failWithoutPythonUnderCi('preference tuning through the app');

const QA = [
  ['What is the capital of France?', 'Paris.'],
  ['What is two plus two?', 'Four.'],
  ['Say hello.', 'Hello! How can I help you today?'],
  ['What color is the sky?', 'The sky is blue.'],
];

describe.skipIf(python === undefined)('preference tuning through the app', () => {
  const tmp = makeTempDir();
  const modelDir = join(tmp.dir, 'tiny-llama');
  const dataDir = join(tmp.dir, 'data');
  const events: PushedEvent[] = [];
  let core: Core;

  beforeAll(async () => {
    buildTinyModel(python as string, modelDir);
    core = await createCore({
      dataDir,
      shell: 'test',
      training: true,
      env: { ...process.env, LORA_STUDIO_PYTHON: python as string, PATH: `/nonexistent:${process.env.PATH}` },
    });
    core.events.subscribe((e) => events.push(e));
  }, 120_000);

  afterAll(async () => {
    await core?.close();
    tmp.cleanup();
  });

  async function call<T>(channel: string, input: unknown): Promise<T> {
    const r = (await core.api.invoke(channel as never, input as never)) as {
      ok: boolean;
      value?: T;
      error?: unknown;
    };
    if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
    return r.value as T;
  }

  /** A frozen version of a file of rows (LLaMA-Factory layouts), with no validation split. */
  async function frozen(name: string, rows: unknown[]): Promise<string> {
    const path = join(tmp.dir, `${name}.json`);
    writeFileSync(path, JSON.stringify(rows));
    const { taskId } = await call<{ taskId: string }>('datasets.import', { path, name });
    const done = await waitFor(() =>
      events.find((e) => e.name === 'task' && (e.payload as { taskId: string }).taskId === taskId),
    );
    const id = (done.payload as { resultId: string }).resultId;
    await call('datasets.split', { id, valCount: 0, seed: 1 });
    return (await call<{ id: string }>('datasets.freeze', { id })).id;
  }

  async function trainAndMargins(versionId: string, objective: 'dpo' | 'kto') {
    const job = await call<{ id: string }>('jobs.create', {
      name: `tiny ${objective}`,
      datasetVersionId: versionId,
      modelPath: modelDir,
      gpuIndices: [],
      settings: {
        objective,
        max_steps: 30,
        logging_steps: 5,
        save_steps: 100,
        learning_rate: 5e-3,
        max_seq_len: 128,
        per_device_batch_size: 4,
        gradient_checkpointing: false,
        warmup: 0,
        precision: 'fp32',
      },
    });
    const done = await waitFor(
      async () => {
        const j = await call<JobDetail>('jobs.get', { id: job.id });
        return ['completed', 'failed', 'cancelled', 'interrupted'].includes(j.status) ? j : null;
      },
      { timeoutMs: 400_000, intervalMs: 1000, what: `the ${objective} run to finish` },
    );
    if (done.status !== 'completed') {
      const logs = await core.api.invoke('jobs.logs', { id: job.id, stream: 'stderr', tailLines: 40 });
      throw new Error(`job ${done.status}: ${done.error}\n${JSON.stringify(logs)}`);
    }
    const metrics = await call<MetricsResult>('jobs.metrics', {
      id: job.id,
      names: ['rewards/margins', 'rewards/chosen'],
    });
    const margins = metrics.series.find((s) => s.metric === 'rewards/margins');
    return margins?.value.map((v) => v ?? Number.NaN) ?? [];
  }

  it('DPO on a ShareGPT preference file: the stored reward margin grows', async () => {
    const rows = Array.from({ length: 24 }, (_, i) => ({
      conversations: [{ from: 'human', value: QA[i % 4]?.[0] }],
      chosen: { from: 'gpt', value: QA[i % 4]?.[1] },
      rejected: { from: 'gpt', value: 'rainy weather tool function call' },
    }));
    const margins = await trainAndMargins(await frozen('dpo', rows), 'dpo');
    expect(margins.length).toBeGreaterThanOrEqual(3);
    expect(margins.at(-1)).toBeGreaterThan(margins[0] ?? Number.POSITIVE_INFINITY);
    console.info(`DPO reward margins: ${margins.map((m) => m.toFixed(3)).join(' → ')}`);
  }, 500_000);

  it('KTO on a labelled file: the stored reward margin grows', async () => {
    const rows = Array.from({ length: 24 }, (_, i) => ({
      messages: [
        { role: 'user', content: QA[i % 4]?.[0] },
        { role: 'assistant', content: i % 2 === 0 ? QA[i % 4]?.[1] : 'rainy weather tool function call' },
      ],
      label: i % 2 === 0,
    }));
    const margins = await trainAndMargins(await frozen('kto', rows), 'kto');
    expect(margins.length).toBeGreaterThanOrEqual(2);
    expect(margins.at(-1)).toBeGreaterThan(margins[0] ?? Number.POSITIVE_INFINITY);
    console.info(`KTO reward margins: ${margins.map((m) => m.toFixed(3)).join(' → ')}`);
  }, 500_000);
});
