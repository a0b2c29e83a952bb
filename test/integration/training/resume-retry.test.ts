import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signalGroup } from '../../../main/training/process-info';
import { waitFor } from '../../helpers/temp-dir';
import { createHarness, type Harness, storedSteps } from '../../helpers/training-harness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

/** The fixtures' loss curve (test/fixtures/trainers/protocol.mjs). */
const lossAt = (step: number) => Math.round((2 * Math.exp(-step / 40) + 0.1) * 1e6) / 1e6;

async function until(harness: Harness, id: string, statuses: string[]) {
  return waitFor(
    () => {
      const job = harness.service.list().find((j) => j.id === id);
      return job && statuses.includes(job.status) ? job : null;
    },
    { timeoutMs: 20_000, what: `job ${id} ${statuses.join('/')}` },
  );
}

function expectSameCurve(harness: Harness, id: string, maxSteps: number) {
  const loss = harness.service.metrics({ id, names: ['loss'] }).loss ?? [];
  expect(loss.map((p) => p.step)).toEqual(Array.from({ length: maxSteps }, (_, i) => i + 1));
  for (const p of loss) expect(p.value).toBeCloseTo(lossAt(p.step), 6);
}

describe('resume and retry', () => {
  it('resumes a cancelled job from its checkpoint and continues the same curve in the same run', async () => {
    h = await createHarness({ fixture: 'resumable.mjs', fixtureEnv: { FIXTURE_STEP_MS: '15' } });
    await h.service.start();
    const { id } = await h.service.create(h.request({ max_steps: 60, save_steps: 1000 }));
    await waitFor(() => (h?.service.list()[0]?.step ?? 0) >= 10, { what: 'ten steps' });
    await h.service.cancel(id);
    const cancelled = await until(h, id, ['cancelled']);
    const at = cancelled.step;
    expect(at).toBeGreaterThanOrEqual(10);
    expect(at).toBeLessThan(60);

    const resumed = await h.service.resume(id);
    expect(resumed.status).toBe('queued');
    const done = await until(h, id, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    const detail = await h.service.get(id);
    expect(detail.config.resume_from_checkpoint).toBe('last');
    expect(detail.timeline.some((t) => t.note?.includes(`resumed from step ${at}`))).toBe(true);
    expectSameCurve(h, id, 60);
    const config = JSON.parse(readFileSync(join(detail.runDir, 'config.json'), 'utf8'));
    expect(config.resume_from_checkpoint).toBe('last');
  });

  it('resumes a trainer killed mid-run from its last scheduled checkpoint: steps after it are replaced, not doubled', async () => {
    h = await createHarness({ fixture: 'resumable.mjs', fixtureEnv: { FIXTURE_STEP_MS: '15' } });
    await h.service.start();
    const { id } = await h.service.create(h.request({ max_steps: 50, save_steps: 10 }));
    await waitFor(() => (h?.service.list()[0]?.step ?? 0) >= 24, { what: 'past two checkpoints' });
    const pid = (await h.service.get(id)).pid as number;
    signalGroup(pid, 'SIGKILL'); // the OOM killer, say
    const failed = await until(h, id, ['failed']);
    expect(failed.error).toContain('killed by SIGKILL');
    const detail = await h.service.get(id);
    const lastCheckpoint = detail.checkpoints.at(-1)?.step ?? 0;
    expect(lastCheckpoint).toBeGreaterThanOrEqual(20);
    expect(storedSteps(h.opened, id).at(-1)).toBeGreaterThan(lastCheckpoint);

    await h.service.resume(id);
    expect((await until(h, id, ['completed', 'failed'])).status).toBe('completed');
    expectSameCurve(h, id, 50);
  });

  it('retries a failed job as a new job from the start, with the same request', async () => {
    h = await createHarness({ fixture: 'crash.mjs' });
    await h.service.start();
    const { id } = await h.service.create(h.request({ max_steps: 10 }));
    await until(h, id, ['failed']);
    await expect(h.service.resume('job_nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const retried = await h.service.retry(id);
    expect(retried.id).not.toBe(id);
    expect(retried.name).toContain('(retry)');
    expect(retried.step).toBe(0);
    const original = await h.service.get(id);
    const retry = await h.service.get(retried.id);
    expect(retry.config).toEqual(original.config);
    expect(retry.runDir).not.toBe(original.runDir);
    expect((await until(h, retried.id, ['failed'])).status).toBe('failed');
  });
});
