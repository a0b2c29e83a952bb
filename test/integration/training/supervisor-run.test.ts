import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelArtifactsRepository } from '../../../db/repositories/model-artifacts-repository';
import { NotificationsRepository } from '../../../db/repositories/notifications-repository';
import { sha256File } from '../../../main/artifacts/adapter-artifact';
import { waitFor } from '../../helpers/temp-dir';
import {
  createHarness,
  emittedLogSteps,
  groupMembers,
  type Harness,
  storedSteps,
} from '../../helpers/training-harness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

async function finished(harness: Harness, id: string) {
  return waitFor(
    () => {
      const job = harness.service.list().find((j) => j.id === id);
      return job && ['completed', 'failed', 'cancelled', 'interrupted'].includes(job.status) ? job : null;
    },
    { timeoutMs: 20_000, what: `job ${id} to finish` },
  );
}

describe('training run supervision', () => {
  it('runs a job to completion: every logged step stored, progress ≤ 4 Hz, adapter registered', async () => {
    h = await createHarness({ fixture: 'ok.mjs', fixtureEnv: { FIXTURE_STEP_MS: '15' } });
    await h.service.start();
    const created = await h.service.create(h.request({ max_steps: 40, eval_steps: 10, save_steps: 20 }));
    expect(created.status).toBe('queued');
    const job = await finished(h, created.id);
    expect(job.status).toBe('completed');
    expect(job.step).toBe(40);
    expect(job.progress).toBe(1);
    expect(job.lastLoss).toBeCloseTo(2 * Math.exp(-1) + 0.1, 5);

    const detail = await h.service.get(created.id);
    expect(detail.exitCode).toBe(0);
    expect(detail.badEventLines).toBe(0);
    expect(detail.checkpoints.map((c) => c.step)).toEqual([20, 40]);
    expect(detail.timeline.map((t) => t.status)).toEqual(
      expect.arrayContaining(['queued', 'starting', 'running', 'completed']),
    );
    expect(detail.reproducibility).toMatchObject({ seed: 42, datasetSha256: expect.any(String) });

    const emitted = emittedLogSteps(detail.runDir);
    expect(storedSteps(h.opened, created.id)).toEqual(emitted);
    expect(emitted).toHaveLength(40);
    expect(storedSteps(h.opened, created.id, 'eval_loss')).toEqual([10, 20, 30, 40]);
    const metrics = h.service.metrics({ id: created.id, names: ['loss', 'learning_rate'] });
    expect(metrics.loss).toHaveLength(40);
    expect(metrics.learning_rate).toHaveLength(40);

    // ≤ 4 Hz: no two job.progress events of this job closer than 250 ms (a little timer slack).
    const times = h.pushed
      .filter((e) => e.name === 'job.progress' && e.payload.id === created.id)
      .map((e) => e.at);
    expect(times.length).toBeGreaterThan(2);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(245);

    const [artifact] = new ModelArtifactsRepository(h.opened.db).byJob(created.id);
    const weights = join(detail.runDir, 'adapter', 'adapter_model.safetensors');
    const adapterBytes = readdirSync(join(detail.runDir, 'adapter')).reduce(
      (sum, name) => sum + statSync(join(detail.runDir, 'adapter', name)).size,
      0,
    );
    expect(adapterBytes).toBeGreaterThanOrEqual(4096);
    expect(artifact).toMatchObject({
      kind: 'adapter',
      sizeBytes: adapterBytes,
      sha256: await sha256File(weights),
    });
    const [note] = new NotificationsRepository(h.opened.db).list();
    expect(note).toMatchObject({ kind: 'job.completed', jobId: created.id });
    expect(h.pushed.some((e) => e.name === 'notification')).toBe(true);
  });

  it('records a crash as failed with the exit code, the error event and the stderr tail, and notifies', async () => {
    h = await createHarness({ fixture: 'crash.mjs' });
    await h.service.start();
    const { id } = await h.service.create(h.request());
    const job = await finished(h, id);
    expect(job.status).toBe('failed');
    const detail = await h.service.get(id);
    expect(detail.exitCode).toBe(1);
    expect(detail.error).toContain('RuntimeError: boom (the trainer exited with code 1)');
    expect(detail.error).toContain('stderr (last lines):');
    const tail = (detail.error ?? '').split('stderr (last lines):\n')[1]?.split('\n') ?? [];
    expect(tail).toHaveLength(50);
    expect(tail.at(-1)).toBe('RuntimeError: boom');
    expect(storedSteps(h.opened, id)).toEqual([1, 2, 3, 4, 5]);
    const [note] = new NotificationsRepository(h.opened.db).list();
    expect(note).toMatchObject({ kind: 'job.failed', jobId: id, title: expect.stringContaining('failed') });
  });

  it('kills lingering grandchildren when the trainer is SIGKILLed: group empty ≤ 5 s', async () => {
    h = await createHarness({ fixture: 'spawn-grandchild-then-die.mjs' });
    await h.service.start();
    const { id } = await h.service.create(h.request());
    const job = await finished(h, id);
    const detail = await h.service.get(id);
    expect(job.status).toBe('failed');
    expect(detail.exitSignal).toBe('SIGKILL');
    expect(detail.error).toContain('killed by SIGKILL');
    const pgid = detail.pid as number;
    const grandchild = Number(readFileSync(join(detail.runDir, 'grandchild.pid'), 'utf8'));
    const t0 = Date.now();
    await waitFor(async () => (await groupMembers(pgid)).length === 0, {
      timeoutMs: 5000,
      what: 'empty group',
    });
    console.log(
      `PROC-crash: group ${pgid} (grandchild ${grandchild}) empty ${Date.now() - t0} ms after failed`,
    );
    expect(storedSteps(h.opened, id)).toEqual([1, 2, 3]);
  });

  it('survives NaN, Infinity and garbage lines: valid lines stored, bad lines counted', async () => {
    h = await createHarness({ fixture: 'nan-garbage.mjs' });
    await h.service.start();
    const { id } = await h.service.create(h.request());
    const job = await finished(h, id);
    expect(job.status).toBe('completed');
    const loss = h.service.metrics({ id, names: ['loss'] }).loss ?? [];
    expect(loss.map(({ step, value }) => ({ step, value }))).toEqual([
      { step: 1, value: 1.5 },
      { step: 2, value: null },
      { step: 3, value: null },
      { step: 4, value: 1.2 },
      { step: 5, value: 1.1 },
      { step: 6, value: null },
    ]);
    expect(new Set(loss.map((p) => p.attempt))).toEqual(new Set([1]));
    expect((await h.service.get(id)).badEventLines).toBe(7);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
