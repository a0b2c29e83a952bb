/**
 * `jobs create --wait` with no app running: the CLI is the primary. It runs the trainer, answers
 * other terminals on its command socket, exits 0 only when the job completed, and on Ctrl-C cancels
 * the run cleanly (it owns the trainer) and says so.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpuJobArgs, fixtureTrainerCommand, prepareTrainingFolder } from '../../helpers/cli-training-setup';
import { runCli, startCli } from '../../helpers/run-cli';
import { makeTempDir, waitFor } from '../../helpers/temp-dir';

describe('jobs create --wait as the primary (no app running)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let dataDir: string;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `/nonexistent:${process.env.PATH}`,
    FIXTURE_STEP_MS: '40',
  };
  delete env.LORA_STUDIO_HOME;
  beforeEach(() => {
    tmp = makeTempDir();
    dataDir = join(tmp.dir, 'data');
  });
  afterEach(() => tmp.cleanup());

  const waitArgs = (datasetId: string, model: string, extra: ReadonlyArray<string> = []) =>
    cpuJobArgs(datasetId, model, '--wait', '--data-dir', dataDir, ...extra);

  it('exits 0 when the job completes and 1 when it fails', async () => {
    const { datasetId, model } = await prepareTrainingFolder(dataDir, tmp.dir, 'ok.mjs', env);
    const ok = await runCli([...waitArgs(datasetId, model, ['--set', 'max_steps=5', '--json'])], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ status: 'completed', step: 5 });

    const set = await runCli(['settings', 'set', 'trainer.command', '--data-dir', dataDir], env);
    expect(set.code).toBe(2); // a missing VALUE is a usage error
    expect(
      (
        await runCli(
          ['settings', 'set', 'trainer.command', fixtureTrainerCommand('crash.mjs'), '--data-dir', dataDir],
          env,
        )
      ).code,
    ).toBe(0);
    const failed = await runCli([...waitArgs(datasetId, model, ['--json'])], env);
    expect(failed.code, failed.stderr).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ status: 'failed' });
  }, 120_000);

  it('answers another terminal: jobs show and jobs cancel reach the foreground run', async () => {
    const { datasetId, model } = await prepareTrainingFolder(dataDir, tmp.dir, 'cancellable.mjs', env);
    const waiting = startCli(waitArgs(datasetId, model, ['--set', 'max_steps=5000']), env);
    await waitFor(() => /running step/.test(waiting.stderr()), { timeoutMs: 30_000, what: 'progress lines' });
    expect(existsSync(join(dataDir, 'lora-studio.endpoint.json'))).toBe(true);
    const listed = await runCli(['jobs', 'list', '--json', '--data-dir', dataDir], env);
    const [job] = JSON.parse(listed.stdout) as Array<{ id: string; status: string }>;
    expect(job?.status).toBe('running');
    const cancelled = await runCli(['jobs', 'cancel', job!.id, '--json', '--data-dir', dataDir], env);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    const result = await waiting.exited;
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`${job!.id}\\s+cancelled`));
    // The primary is gone: its endpoint file went with it.
    expect(existsSync(join(dataDir, 'lora-studio.endpoint.json'))).toBe(false);
  }, 120_000);

  it('a cancel from another terminal escalates to SIGKILL for a trainer that ignores SIGTERM: cancelled', async () => {
    const { datasetId, model } = await prepareTrainingFolder(dataDir, tmp.dir, 'ignore-sigterm.mjs', env);
    const waiting = startCli(waitArgs(datasetId, model), env);
    await waitFor(() => /running step/.test(waiting.stderr()), { timeoutMs: 30_000, what: 'progress lines' });
    const [job] = JSON.parse(
      (await runCli(['jobs', 'list', '--json', '--data-dir', dataDir], env)).stdout,
    ) as Array<{
      id: string;
    }>;
    expect((await runCli(['jobs', 'cancel', job!.id, '--data-dir', dataDir], env)).code).toBe(0);
    // The supervisor that owns the trainer waits its grace period (30 s), then kills the group.
    const result = await waiting.exited;
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`${job!.id}\\s+cancelled`));
  }, 150_000);

  it('Ctrl-C cancels the run it owns (checkpoint, cancelled) and says so; --timeout does the same', async () => {
    const { datasetId, model } = await prepareTrainingFolder(dataDir, tmp.dir, 'cancellable.mjs', env);
    const waiting = startCli(waitArgs(datasetId, model, ['--set', 'max_steps=5000']), env);
    await waitFor(() => /running step/.test(waiting.stderr()), { timeoutMs: 30_000, what: 'progress lines' });
    waiting.child.kill('SIGINT');
    const result = await waiting.exited;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/cancelling job/);
    expect(result.stderr).toMatch(/was cancelled \(status cancelled\).*no LoRA Studio app was running/);
    const id = /jobs resume (\S+)/.exec(result.stderr)?.[1];
    const shown = await runCli(['jobs', 'show', id ?? 'none', '--json', '--data-dir', dataDir], env);
    expect(JSON.parse(shown.stdout)).toMatchObject({ status: 'cancelled' });

    const timed = await runCli(
      waitArgs(datasetId, model, ['--set', 'max_steps=5000', '--timeout', '3', '--json']),
      env,
    );
    expect(timed.code).toBe(1);
    expect(JSON.parse(timed.stdout).error).toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringMatching(/cancelled/),
    });
  }, 120_000);
});
