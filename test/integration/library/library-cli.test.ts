/** `lora-studio models …` and `costs --json` on a data folder a finished run left behind. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLibraryCore } from '../../helpers/library-core';
import { runCli } from '../../helpers/run-cli';

type Env = Awaited<ReturnType<typeof createLibraryCore>>;

describe('the library and costs CLI', () => {
  let env: Env;
  let jobId: string;
  const cli = (...args: string[]) => runCli([...args, '--data-dir', env.dataDir], env.env);
  beforeAll(async () => {
    env = await createLibraryCore({ fixture: 'merge.mjs', stepMs: 120 });
    const job = await env.createJob(25, 'cli run');
    expect((await env.ended(job.id)).status).toBe('completed');
    jobId = job.id;
    await env.core.close();
  }, 60_000);
  afterAll(async () => {
    await env?.close();
  });

  it('costs --json prints { jobs: [{ jobId, energyWh, gpuHours, cost, currency }], total }', async () => {
    const r = await cli('costs', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.jobs).toEqual([
      expect.objectContaining({
        jobId,
        currency: 'EUR',
        energyWh: expect.any(Number),
        gpuHours: expect.any(Number),
      }),
    ]);
    expect(out.jobs[0].energyWh).toBeGreaterThan(0);
    expect(out.total).toMatchObject({
      energyWh: out.jobs[0].energyWh,
      cost: out.jobs[0].cost,
      currency: 'EUR',
    });
    const future = JSON.parse((await cli('costs', '--since', '2999-01-01', '--json')).stdout);
    expect(future.jobs).toEqual([]);
    const bad = await cli('costs', '--since', 'yesterday', '--json');
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error.message).toMatch(/--since must be a date/);
  }, 30_000);

  it('models list, show, export --ollama and delete', async () => {
    const list = JSON.parse((await cli('models', 'list', '--json')).stdout);
    expect(list).toHaveLength(1);
    const id = list[0].id as string;
    const show = JSON.parse((await cli('models', 'show', id, '--json')).stdout);
    expect(show).toMatchObject({ id, jobId, datasetLabel: 'arithmetic v1', present: true });
    const exported = await cli('models', 'export', id, '--ollama', '--name', 'cli-run', '--json');
    expect(exported.code, exported.stdout).toBe(0);
    expect(JSON.parse(exported.stdout).command).toMatch(/^ollama create cli-run -f /);
    const usage = await cli('models', 'export', id, '--json');
    expect(usage.code).toBe(2);
    const unknown = await cli('models', 'show', 'art_nope', '--json');
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout).error.code).toBe('NOT_FOUND');
    const promoted = JSON.parse((await cli('models', 'promote', jobId, '10', '--json')).stdout);
    expect(promoted).toMatchObject({ kind: 'adapter', checkpointStep: 10 });
    const merged = await cli('models', 'merge', id, '--dtype', 'fp16', '--json');
    expect(merged.code, merged.stdout + merged.stderr).toBe(0);
    expect(JSON.parse(merged.stdout)).toMatchObject({ kind: 'merged', name: 'cli run (merged, fp16)' });
    const badDtype = await cli('models', 'merge', id, '--dtype', 'int4', '--json');
    expect(badDtype.code).toBe(2);
    const deleted = JSON.parse((await cli('models', 'delete', id, '--json')).stdout);
    expect(deleted).toEqual({ deleted: true, filesRemoved: false });
    expect(existsSync(join(show.path, 'adapter_model.safetensors'))).toBe(true);
    expect(
      JSON.parse((await cli('models', 'list', '--json')).stdout)
        .map((m: { kind: string }) => m.kind)
        .sort(),
    ).toEqual(['adapter', 'merged']);
  }, 60_000);
});
