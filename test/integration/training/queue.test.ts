import { afterEach, describe, expect, it } from 'vitest';
import type { JobSummary } from '../../../preload/contract';
import { waitFor } from '../../helpers/temp-dir';
import { createHarness, type Harness } from '../../helpers/training-harness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const byId = (harness: Harness, id: string): JobSummary =>
  harness.service.list().find((j) => j.id === id) as JobSummary;
const isDone = (j: JobSummary) => ['completed', 'failed', 'cancelled', 'interrupted'].includes(j.status);

describe('job queue', () => {
  it('runs jobs on the same GPU set one after another, starting the next when the first ends', async () => {
    h = await createHarness({ fixture: 'ok.mjs', fixtureEnv: { FIXTURE_STEP_MS: '5' } });
    await h.service.start();
    const a = await h.service.create(h.request({ max_steps: 20 }, { gpuIndices: [0] }));
    const b = await h.service.create(h.request({ max_steps: 20 }, { gpuIndices: [0, 1] }));
    let overlap = false;
    await waitFor(
      () => {
        const [ja, jb] = [byId(h as Harness, a.id), byId(h as Harness, b.id)];
        if (!isDone(ja) && jb.status !== 'queued') overlap = true;
        return isDone(ja) && isDone(jb);
      },
      { timeoutMs: 20_000, intervalMs: 5 },
    );
    expect(overlap).toBe(false);
    const [ja, jb] = [byId(h, a.id), byId(h, b.id)];
    expect([ja.status, jb.status]).toEqual(['completed', 'completed']);
    expect(jb.startedAt as number).toBeGreaterThanOrEqual(ja.finishedAt as number);
  });

  it('runs jobs on disjoint GPU sets at the same time, and CPU jobs one at a time', async () => {
    h = await createHarness({ fixture: 'cancellable.mjs' });
    await h.service.start();
    const g0 = await h.service.create(h.request({ max_steps: 5000 }, { gpuIndices: [0] }));
    const g1 = await h.service.create(h.request({ max_steps: 5000 }, { gpuIndices: [1] }));
    const cpu1 = await h.service.create(h.request({ max_steps: 5000 }, { gpuIndices: [] }));
    const cpu2 = await h.service.create(h.request({ max_steps: 5000 }, { gpuIndices: [] }));
    await waitFor(() => [g0, g1, cpu1].every((j) => byId(h as Harness, j.id).status === 'running'), {
      what: 'three jobs running together',
    });
    expect(byId(h, cpu2.id).status).toBe('queued');
    const env = (await h.service.logs({ id: g1.id, stream: 'stderr', tailLines: 5 })).lines.join('\n');
    expect(env).toContain('CUDA_VISIBLE_DEVICES=1 HF_HUB_OFFLINE=1 PYTHONUNBUFFERED=1');
    for (const j of [g0, g1, cpu1]) await h.service.cancel(j.id);
    await waitFor(() => byId(h as Harness, cpu2.id).status === 'running', { what: 'the second CPU job' });
    await h.service.cancel(cpu2.id);
    await waitFor(() => [g0, g1, cpu1, cpu2].every((j) => byId(h as Harness, j.id).status === 'cancelled'));
  });

  it('keeps queued jobs across a restart and starts them once a primary core starts', async () => {
    h = await createHarness({ fixture: 'ok.mjs', isPrimary: false, fixtureEnv: { FIXTURE_STEP_MS: '2' } });
    await h.service.start();
    const a = await h.service.create(h.request({ max_steps: 10 }, { gpuIndices: [0] }));
    const b = await h.service.create(h.request({ max_steps: 10 }, { gpuIndices: [0] }));
    expect([byId(h, a.id).status, byId(h, b.id).status]).toEqual(['queued', 'queued']); // not the primary
    await h.restart({ isPrimary: true });
    await h.service.start();
    await waitFor(() => isDone(byId(h as Harness, a.id)) && isDone(byId(h as Harness, b.id)), {
      timeoutMs: 15_000,
    });
    expect([byId(h, a.id).status, byId(h, b.id).status]).toEqual(['completed', 'completed']);
  });
});
