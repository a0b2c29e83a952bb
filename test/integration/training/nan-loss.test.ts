/**
 * PROC-nan (defect 8): a NaN loss raises a warning on the job's timeline (the job page and the run's
 * event log) once per streak, and `stop_after_nan_steps` stops the run as failed, with the reason,
 * after that many consecutive NaN steps. The fixture trainer writes NaN as null, as the real one does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/temp-dir';
import { createHarness, type Harness, storedSteps } from '../../helpers/training-harness';

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
    { timeoutMs: 30_000, what: `job ${id} to finish` },
  );
}

function timelineWarnings(runDir: string): Array<{ step: number; message: string }> {
  return readFileSync(join(runDir, 'timeline.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { kind: string; step: number; message: string })
    .filter((e) => e.kind === 'warning');
}

describe('NaN loss', () => {
  it('warns once per streak on the job page and in the event log, and the run goes on', async () => {
    h = await createHarness({
      fixture: 'ok.mjs',
      fixtureEnv: { FIXTURE_STEP_MS: '5', FIXTURE_NAN_FROM: '4' },
    });
    await h.service.start();
    const { id } = await h.service.create(h.request({ max_steps: 12 }));
    const job = await finished(h, id);
    expect(job.status).toBe('completed');
    const detail = await h.service.get(id);
    const warnings = detail.timeline.filter((e) => e.status === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.note).toMatch(/the loss is NaN .* at step 4/);
    expect(timelineWarnings(detail.runDir)).toEqual([{ ...timelineWarnings(detail.runDir)[0], step: 4 }]);
    expect(storedSteps(h.opened, id)).toHaveLength(12); // the NaN steps are kept (as null points)
  });

  it('stop_after_nan_steps stops the run as failed after that many NaN steps in a row', async () => {
    h = await createHarness({
      fixture: 'ok.mjs',
      fixtureEnv: { FIXTURE_STEP_MS: '40', FIXTURE_NAN_FROM: '3' },
    });
    await h.service.start();
    const { id } = await h.service.create(
      h.request({ max_steps: 400, save_steps: 1000, stop_after_nan_steps: 5 }),
    );
    const job = await finished(h, id);
    const detail = await h.service.get(id);
    expect(job.status).toBe('failed');
    // NaN from step 3, limit 5: the streak reaches the limit at step 7, however many steps one read
    // of events.jsonl holds (the trainer may log a step or two more before it honours the cancel).
    expect(detail.error?.split('\n')[0]).toBe(
      'the loss was NaN for 5 consecutive logged steps (stop_after_nan_steps = 5); stopped at step 7',
    );
    expect(detail.step).toBeLessThan(400);
    console.info(`PROC-nan: stopped at step 7 (limit 5, NaN from step 3); last step logged ${detail.step}`);
  });
});
