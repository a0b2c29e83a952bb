import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PreflightResult } from '../../../preload/contract';
import { waitFor } from '../../helpers/temp-dir';
import { createHarness, type Harness, TEST_CONFIG } from '../../helpers/training-harness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const finished = (harness: Harness, id: string) =>
  waitFor(() => {
    const j = harness.service.list().find((x) => x.id === id);
    return j && ['completed', 'failed', 'cancelled'].includes(j.status) ? j : null;
  });

describe('TrainingService', () => {
  it('refuses a job whose preflight fails, naming the failed checks, and creates nothing', async () => {
    const failing: PreflightResult = {
      ok: false,
      checks: [
        { id: 'vram', label: 'GPU memory', verdict: 'fail', detail: 'needs 22.9 GB, GPU 0 has 12 GB free' },
        { id: 'disk', label: 'Disk space', verdict: 'pass', detail: 'ok' },
      ],
      estimate: null,
      config: TEST_CONFIG,
      devices: null,
    };
    h = await createHarness({ preflight: () => Promise.resolve(failing) });
    await expect(h.service.create(h.request())).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'Preflight failed: GPU memory: needs 22.9 GB, GPU 0 has 12 GB free',
    });
    expect(h.service.list()).toEqual([]);
  });

  it('writes the run folder: config.json, train/val split without the split field, reproducibility', async () => {
    h = await createHarness({ isPrimary: false });
    const job = await h.service.create(h.request({ max_steps: 7 }, { name: 'first run' }));
    expect(job).toMatchObject({ name: 'first run', status: 'queued', gpuIndices: [], step: 0 });
    const detail = await h.service.get(job.id);
    const config = JSON.parse(readFileSync(join(detail.runDir, 'config.json'), 'utf8'));
    expect(config).toEqual({ ...TEST_CONFIG, base_model: h.modelPath, max_steps: 7 });
    const train = readFileSync(join(detail.runDir, 'train.jsonl'), 'utf8').trim().split('\n');
    const val = readFileSync(join(detail.runDir, 'val.jsonl'), 'utf8').trim().split('\n');
    expect([train.length, val.length]).toEqual([8, 2]);
    expect(JSON.parse(val[0] as string)).toEqual({
      messages: [
        { role: 'user', content: 'question 0' },
        { role: 'assistant', content: 'answer 0' },
      ],
    });
    expect(detail.reproducibility).toMatchObject({
      datasetVersionId: h.versionId,
      datasetRows: { train: 8, val: 2 },
      modelConfigHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      seed: 42,
    });
    expect(detail.timeline).toEqual([
      { status: 'queued', at: job.queuedAt, note: 'training on CPU (no NVIDIA GPU found)' },
    ]);
    expect(detail.devices).toEqual({
      gpuIndices: [],
      chosenBy: 'auto',
      cpu: 'no-gpu',
      note: 'training on CPU (no NVIDIA GPU found)',
    });
    await expect(h.service.get('job_missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      h.service.create(h.request(undefined, { datasetVersionId: 'dsv_missing' })),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('refuses a dataset version whose file changed since it was frozen, leaving no run folder', async () => {
    h = await createHarness({ isPrimary: false });
    const version = h.opened.sqlite
      .prepare('SELECT file_path FROM dataset_versions WHERE id = ?')
      .get(h.versionId) as {
      file_path: string;
    };
    appendFileSync(join(h.dataDir, version.file_path), '{"messages":[],"split":"train"}\n');
    await expect(h.service.create(h.request())).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('changed on disk'),
    });
    expect(h.service.list()).toEqual([]);
    expect(readdirSync(join(h.dataDir, 'runs'))).toEqual([]);
  });

  it('reads log tails and searches them; metrics by name', async () => {
    h = await createHarness({ fixture: 'crash.mjs' });
    await h.service.start();
    const { id } = await h.service.create(h.request());
    await finished(h, id);
    const tail = await h.service.logs({ id, stream: 'stderr', tailLines: 3 });
    expect(tail).toEqual({
      lines: ['Traceback (most recent call last):', '  File "train.py", line 1', 'RuntimeError: boom'],
      truncated: true,
    });
    const found = await h.service.logs({ id, stream: 'stderr', search: 'NOISE LINE 7' });
    expect(found.lines).toEqual([
      'noise line 7',
      'noise line 70',
      'noise line 71',
      'noise line 72',
      'noise line 73',
      'noise line 74',
      'noise line 75',
      'noise line 76',
      'noise line 77',
      'noise line 78',
      'noise line 79',
    ]);
    const events = await h.service.logs({ id, stream: 'events', tailLines: 1 });
    expect(JSON.parse(events.lines[0] as string)).toMatchObject({
      type: 'error',
      message: 'RuntimeError: boom',
    });
    const stdout = await h.service.logs({ id, stream: 'stdout' });
    expect(stdout.lines).toHaveLength(8); // the events mirrored on stdout
    expect(Object.keys(h.service.metrics({ id })).sort()).toEqual(['learning_rate', 'loss']);
    expect(h.service.metrics({ id, names: ['eval_loss'] })).toEqual({ eval_loss: [] });
  });

  it('fails a job whose trainer cannot be started, with the reason', async () => {
    h = await createHarness({
      trainerCommand: () => Promise.resolve({ command: '/nonexistent/python', args: ['-m', 'lora_trainer'] }),
    });
    await h.service.start();
    const { id } = await h.service.create(h.request());
    const job = await finished(h, id);
    expect(job.status).toBe('failed');
    expect(job.error).toContain('could not start the trainer');
    expect(job.error).toContain('ENOENT');
    h = await (async () => {
      await h.close();
      return createHarness({ trainerCommand: () => Promise.reject(new Error('no Python environment')) });
    })();
    await h.service.start();
    const second = await h.service.create(h.request());
    expect((await finished(h, second.id)).error).toContain('no Python environment');
  });
});
