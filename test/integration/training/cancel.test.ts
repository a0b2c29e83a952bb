import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NotificationsRepository } from '../../../db/repositories/notifications-repository';
import type { JobSummary } from '../../../preload/contract';
import { waitFor } from '../../helpers/temp-dir';
import { createHarness, groupMembers, type Harness, storedSteps } from '../../helpers/training-harness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

function jobOf(harness: Harness, id: string): JobSummary | undefined {
  return harness.service.list().find((j) => j.id === id);
}

async function waitStatus(harness: Harness, id: string, statuses: string[], timeoutMs = 15_000) {
  return waitFor(
    () => {
      const job = jobOf(harness, id);
      return job && statuses.includes(job.status) ? job : null;
    },
    { timeoutMs, what: `job ${id} to be ${statuses.join('/')}` },
  );
}

describe('PROC-cancel', () => {
  it('cancels a running job: the trainer checkpoints and exits 3, the job is cancelled with it', async () => {
    h = await createHarness({ fixture: 'cancellable.mjs', graceMs: 10_000 });
    await h.service.start();
    const { id } = await h.service.create(h.request({ max_steps: 5000, save_steps: 1000 }));
    await waitFor(() => (jobOf(h as Harness, id)?.step ?? 0) >= 5, { what: 'a few steps' });
    await expect(h.service.resume(id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(h.service.retry(id)).rejects.toMatchObject({ code: 'CONFLICT' });
    const t0 = Date.now();
    const during = await h.service.cancel(id);
    expect(during.status).toBe('running');
    const job = await waitStatus(h, id, ['cancelled', 'failed', 'completed']);
    const elapsed = Date.now() - t0;
    expect(job.status).toBe('cancelled');
    const detail = await h.service.get(id);
    expect(detail.exitCode).toBe(3);
    expect(detail.exitSignal).toBeNull();
    const last = detail.checkpoints.at(-1);
    expect(last?.step).toBe(job.step);
    expect(existsSync(join(detail.runDir, last?.path ?? 'none'))).toBe(true);
    expect(existsSync(join(detail.runDir, 'cancel'))).toBe(false); // consumed by the trainer
    expect(detail.timeline.at(-1)).toMatchObject({
      status: 'cancelled',
      note: expect.stringContaining(last?.path ?? 'no checkpoint path'),
    });
    expect(storedSteps(h.opened, id).at(-1)).toBe(job.step);
    expect(elapsed).toBeLessThan(5000);
    const t1 = Date.now();
    await waitFor(async () => (await groupMembers(detail.pid as number)).length === 0, { timeoutMs: 5000 });
    console.log(`PROC-cancel: graceful cancel took ${elapsed} ms; group empty ${Date.now() - t1} ms later`);
    const [note] = new NotificationsRepository(h.opened.db).list();
    expect(note).toMatchObject({ kind: 'job.cancelled', jobId: id });
  });

  it('SIGKILLs a trainer that ignores SIGTERM after the grace period; the job is cancelled', async () => {
    h = await createHarness({ fixture: 'ignore-sigterm.mjs', graceMs: 1000 });
    await h.service.start();
    const { id } = await h.service.create(h.request());
    await waitFor(() => (jobOf(h as Harness, id)?.step ?? 0) >= 3, { what: 'a few steps' });
    const t0 = Date.now();
    await h.service.cancel(id);
    const job = await waitStatus(h, id, ['cancelled', 'failed']);
    const elapsed = Date.now() - t0;
    const detail = await h.service.get(id);
    expect(job.status).toBe('cancelled');
    expect(detail.exitSignal).toBe('SIGKILL');
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(3000);
    const t1 = Date.now();
    await waitFor(async () => (await groupMembers(detail.pid as number)).length === 0, { timeoutMs: 5000 });
    console.log(`PROC-cancel: SIGKILL at grace after ${elapsed} ms; group empty ${Date.now() - t1} ms later`);
  });

  it('cancels a queued job at once, without ever starting it', async () => {
    h = await createHarness({ fixture: 'cancellable.mjs' });
    await h.service.start();
    const first = await h.service.create(h.request({ max_steps: 5000 }, { gpuIndices: [0] }));
    const second = await h.service.create(h.request({ max_steps: 5000 }, { gpuIndices: [0] }));
    await waitStatus(h, first.id, ['running']);
    expect(jobOf(h, second.id)?.status).toBe('queued');
    const cancelled = await h.service.cancel(second.id);
    expect(cancelled.status).toBe('cancelled');
    expect((await h.service.get(second.id)).pid).toBeNull();
    await h.service.cancel(first.id);
    await waitStatus(h, first.id, ['cancelled']);
    await expect(h.service.cancel(first.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(jobOf(h, second.id)?.status).toBe('cancelled');
  });
});
