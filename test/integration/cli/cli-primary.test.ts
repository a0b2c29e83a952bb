/**
 * The CLI talks to the running primary: `serve` runs on a temp data folder (a real process), and CLI
 * commands in other processes act on it at once — the job starts without waiting for anything, cancel
 * is done by the supervisor that owns the trainer, and an open WebSocket client (like the UI) sees
 * every change the terminal made.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDetail, PushedEvent, WsMessage } from '../../../preload/contract';
import { writeFakeModel } from '../../fixtures/fake-model';
import { cpuJobArgs, fixtureTrainerCommand, writeArithmeticDataset } from '../../helpers/cli-training-setup';
import { type RunningCli, runCli, startCli } from '../../helpers/run-cli';
import { makeTempDir, waitFor } from '../../helpers/temp-dir';
import { connectWs, type WebSocketClient } from '../server/server-fixture';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const RENDERER_INDEX = join(ROOT, 'out/renderer/index.html');

describe('CLI commands act on the running primary (serve)', () => {
  const tmp = makeTempDir();
  const dataDir = join(tmp.dir, 'data');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `/nonexistent:${process.env.PATH}`,
    FIXTURE_STEP_MS: '40',
  };
  delete env.LORA_STUDIO_HOME;
  let serve: RunningCli;
  let ui: WebSocketClient;
  const pushed: PushedEvent[] = [];
  let datasetId = '';
  let model = '';
  const cli = (args: ReadonlyArray<string>) => runCli([...args, '--data-dir', dataDir], env);
  const seen = (match: (e: PushedEvent) => boolean, what: string) =>
    waitFor(() => pushed.find(match), { timeoutMs: 10_000, what });
  let nextId = 1;
  const invoke = async (channel: string, input: unknown): Promise<unknown> => {
    const id = nextId++;
    ui.send({ id, channel, input });
    const answer = (await ui.result(id)) as Extract<WsMessage, { type: 'result' }>;
    if (!answer.result.ok) throw new Error(answer.result.error.message);
    return answer.result.value;
  };

  beforeAll(async () => {
    // serve serves the built UI; `npm test` builds before the integration tests. Fail, never skip.
    if (!existsSync(RENDERER_INDEX))
      throw new Error(`${RENDERER_INDEX} is missing: run \`npx electron-vite build\` first`);
    mkdirSync(dataDir, { recursive: true });
    model = join(tmp.dir, 'tiny-llama');
    writeFakeModel(model, { chatTemplate: 'tokenizer_config' });
    expect(
      (await cli(['settings', 'set', 'trainer.command', fixtureTrainerCommand('cancellable.mjs')])).code,
    ).toBe(0);

    serve = startCli(['serve', '--port', '0', '--json', '--data-dir', dataDir], env);
    const { url, port, token } = JSON.parse(await serve.firstLine()) as {
      url: string;
      port: number;
      token: string;
    };
    expect(url).toContain(`:${port}/`);
    const connected = await connectWs(`ws://127.0.0.1:${port}/ws?token=${token}`, {
      headers: { Origin: `http://127.0.0.1:${port}` },
    });
    if (!('ws' in connected)) throw new Error(`the UI socket was refused: ${connected.status}`);
    ui = connected.ws;
    ui.socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as WsMessage;
      if (message.type === 'event') pushed.push(message.event);
    });
  }, 60_000);

  afterAll(async () => {
    ui?.socket.close();
    serve?.child.kill('SIGTERM');
    await serve?.exited;
    tmp.cleanup();
  });

  it('records how to reach it beside the lock, readable by its owner only', () => {
    const file = join(dataDir, 'lora-studio.endpoint.json');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('a CLI import and a settings change reach the open UI at once', async () => {
    const file = join(tmp.dir, 'arithmetic.jsonl');
    writeArithmeticDataset(file);
    const imported = await cli(['datasets', 'import', file, '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    const summary = JSON.parse(imported.stdout) as { id: string; rows: number; valid: number };
    expect(summary).toMatchObject({ rows: 30, valid: 30 });
    datasetId = summary.id;
    // The primary imported it: its statistics were computed and the UI was told.
    await seen(
      (e) => e.name === 'changed' && e.payload.entity === 'datasets' && e.payload.id === datasetId,
      'the UI to hear of the import',
    );
    expect(await invoke('datasets.list', {})).toContainEqual(expect.objectContaining({ id: datasetId }));

    const price = await cli(['settings', 'set', 'energy.pricePerKwh', '0.55', '--json']);
    expect(price.code, price.stderr).toBe(0);
    await seen((e) => e.name === 'changed' && e.payload.entity === 'settings', 'the UI to hear of the price');
    expect(await invoke('settings.get', {})).toMatchObject({ 'energy.pricePerKwh': 0.55 });

    const frozen = await cli(['datasets', 'freeze', datasetId, '--json']);
    expect(frozen.code, frozen.stderr).toBe(0);
  }, 60_000);

  it('CLI jobs create → the primary starts it at once; CLI jobs cancel → cancelled by its supervisor', async () => {
    const created = await cli(cpuJobArgs(datasetId, model, '--set', 'max_steps=5000', '--json'));
    expect(created.code, created.stderr).toBe(0);
    const { id } = JSON.parse(created.stdout) as { id: string };
    const queuedAt = Date.now();
    await seen(
      (e) => e.name === 'job.progress' && e.payload.id === id && e.payload.status === 'running',
      'the job to run',
    );
    const startedAfterMs = Date.now() - queuedAt;
    console.info(`CLI jobs create → running in the primary after ${startedAfterMs} ms`);
    const job = (await invoke('jobs.get', { id })) as JobDetail;
    expect(job.status).toBe('running');
    // `--gpus cpu` reached the job: no GPU, by the user's choice, and a dataset id meant its newest version.
    expect(job.gpuIndices).toEqual([]);
    expect(job.datasetVersionId).not.toBe(datasetId);
    expect(job.baseModelPath).toBe(model);

    const cancelled = await cli(['jobs', 'cancel', id, '--json']);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    const final = await waitFor(
      async () => {
        const job = (await invoke('jobs.get', { id })) as JobDetail;
        return job.status === 'cancelled' ? job : null;
      },
      { timeoutMs: 15_000, what: 'the job to be cancelled' },
    );
    expect(final.status).toBe('cancelled');
    expect(pushed).toContainEqual({ name: 'changed', payload: { entity: 'jobs', id } });
  }, 60_000);

  it('jobs create --wait streams from the primary and exits 1 when the job is cancelled elsewhere', async () => {
    const waiting = startCli(
      cpuJobArgs(datasetId, model, '--set', 'max_steps=5000', '--wait', '--data-dir', dataDir),
      env,
    );
    await waitFor(() => /running step/.test(waiting.stderr()), { what: 'progress lines from the primary' });
    // The earlier job is cancelled: the one running now is the one this CLI is following.
    const jobs = (await invoke('jobs.list', {})) as Array<{ id: string; status: string }>;
    const live = jobs.find((j) => j.status === 'running');
    expect(live).toBeDefined();
    expect((await cli(['jobs', 'cancel', live!.id, '--json'])).code).toBe(0);
    const result = await waiting.exited;
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`${live!.id}\\s+cancelled`));
  }, 60_000);

  it('Ctrl-C under --wait detaches: the job goes on in the primary and the CLI says how to follow it', async () => {
    const waiting = startCli(
      cpuJobArgs(datasetId, model, '--set', 'max_steps=5000', '--wait', '--data-dir', dataDir),
      env,
    );
    await waitFor(() => /running step/.test(waiting.stderr()), { what: 'progress lines' });
    waiting.child.kill('SIGINT');
    const result = await waiting.exited;
    expect(result.code).toBe(130);
    const match = /jobs cancel (\S+)/.exec(result.stderr);
    expect(match, result.stderr).not.toBeNull();
    const id = match![1]!;
    expect(result.stderr).toMatch(/goes on in LoRA Studio \(serve, pid \d+\)/);
    const job = (await invoke('jobs.get', { id })) as JobDetail;
    expect(job.status).toBe('running');
    // `--gpus cpu` reached the job: no GPU, by the user's choice, and a dataset id meant its newest version.
    expect(job.gpuIndices).toEqual([]);
    expect(job.datasetVersionId).not.toBe(datasetId);
    expect(job.baseModelPath).toBe(model);
    expect((await cli(['jobs', 'cancel', id])).code).toBe(0);
  }, 60_000);

  it('a second serve on the same data folder refuses, naming the running one', async () => {
    const second = await cli(['serve', '--port', '0', '--json']);
    expect(second.code).toBe(1);
    const { error } = JSON.parse(second.stdout) as { error: { code: string; message: string } };
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(new RegExp(`serve, pid ${serve.child.pid}`));
    expect(error.message).toMatch(/http:\/\/127\.0\.0\.1:\d+\//);
    expect(error.message).not.toMatch(/token=/);
  }, 30_000);
});
