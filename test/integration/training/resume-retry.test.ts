import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signalGroup } from '../../../main/training/process-info';
import { waitFor } from '../../helpers/temp-dir';
import { createHarness, fixtureCommand, type Harness, storedSteps } from '../../helpers/training-harness';

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

/** The loss steps stored for one attempt of a job, straight from the SQLite file. */
function pointsOfAttempt(harness: Harness, id: string, attempt: number): number[] {
  return (
    harness.opened.sqlite
      .prepare(
        "SELECT step FROM metrics_points WHERE job_id = ? AND name = 'loss' AND attempt = ? ORDER BY step",
      )
      .all(id, attempt) as Array<{ step: number }>
  ).map((r) => r.step);
}

function expectSameCurve(harness: Harness, id: string, maxSteps: number) {
  const loss = harness.service.metrics({ id, names: ['loss'] }).loss ?? [];
  expect(loss.map((p) => p.step)).toEqual(Array.from({ length: maxSteps }, (_, i) => i + 1));
  for (const p of loss) expect(p.value).toBeCloseTo(lossAt(p.step), 6);
}

describe('resume and retry', () => {
  it('resumes a cancelled job from its checkpoint and continues the same curve in the same run', async () => {
    // The first run holds at step 12 until cancelled: the cancel never races the run's end.
    h = await createHarness({
      fixture: 'resumable.mjs',
      fixtureEnv: { FIXTURE_STEP_MS: '15', FIXTURE_HOLD_AT: '12' },
    });
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

  it('resumes a trainer killed mid-run from its last scheduled checkpoint: steps after it are superseded (kept as attempt 1), not doubled', async () => {
    // The first run holds at step 25 (past two checkpoints), so the kill always lands mid-run.
    h = await createHarness({
      fixture: 'resumable.mjs',
      fixtureEnv: { FIXTURE_STEP_MS: '15', FIXTURE_HOLD_AT: '25' },
    });
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

    const killedAt = storedSteps(h.opened, id).at(-1) as number;
    const firstAttempt = await h.service.get(id);
    await h.service.resume(id);
    const done = await until(h, id, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    expectSameCurve(h, id, 50);

    // The killed attempt's points past the checkpoint are superseded, not lost: kept under attempt 1.
    expect(done.attempt).toBe(2);
    const loss = h.service.metrics({ id, names: ['loss'] }).loss ?? [];
    expect(loss.filter((p) => p.attempt === 1).map((p) => p.step)).toEqual(
      Array.from({ length: lastCheckpoint }, (_, i) => i + 1),
    );
    expect(loss.filter((p) => p.attempt === 2).at(0)?.step).toBe(lastCheckpoint + 1);
    expect(pointsOfAttempt(h, id, 1)).toEqual(Array.from({ length: killedAt }, (_, i) => i + 1));
    const started = (await h.service.get(id)).timeline.find((t) => t.note?.includes('attempt 2'));
    expect(started?.note).toContain(`resumed from step ${lastCheckpoint}`);
    expect(started?.note).toContain(
      `${killedAt === lastCheckpoint + 1 ? `step ${killedAt}` : `steps ${lastCheckpoint + 1}–${killedAt}`} of earlier attempts superseded`,
    );
    // Durations add up attempts: the first attempt's time is kept.
    const firstRan = ((firstAttempt.finishedAt as number) - (firstAttempt.startedAt as number)) / 1000;
    expect(done.earlierAttemptsSeconds).toBeCloseTo(firstRan, 3);
    expect(firstRan).toBeGreaterThan(0);
  });

  it('notices a resumed trainer that restarted from step 1: the whole earlier curve is superseded, never overwritten', async () => {
    // The first run holds at step 15 until cancelled (it once finished its last 15 steps, 75 ms,
    // before the cancel landed on a loaded machine, and the test timed out waiting for `cancelled`).
    h = await createHarness({
      fixture: 'resumable.mjs',
      fixtureEnv: { FIXTURE_STEP_MS: '5', FIXTURE_HOLD_AT: '15' },
    });
    await h.service.start();
    const { id } = await h.service.create(h.request({ max_steps: 30, save_steps: 10 }));
    await waitFor(() => (h?.service.list()[0]?.step ?? 0) >= 15, { what: 'past a checkpoint' });
    await h.service.cancel(id);
    await until(h, id, ['cancelled']);
    const before = pointsOfAttempt(h, id, 1);
    const service = await h.restart({
      trainerCommand: fixtureCommand('resumable.mjs', { FIXTURE_STEP_MS: '5', FIXTURE_IGNORE_RESUME: '1' }),
    });
    await service.start();
    await service.resume(id);
    expect((await until(h, id, ['completed', 'failed'])).status).toBe('completed');
    expectSameCurve(h, id, 30);
    expect(pointsOfAttempt(h, id, 1)).toEqual(before);
    expect(pointsOfAttempt(h, id, 2)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const started = (await h.service.get(id)).timeline.find((t) => t.note?.includes('attempt 2'));
    expect(started?.note).toContain('restarted from step 1, not from a checkpoint');
    expect(started?.note).toContain(`steps 1–${before.at(-1)} of earlier attempts superseded`);
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
