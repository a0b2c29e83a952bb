/**
 * GGUF export through llama.cpp's converter, played by a fixture converter that checks its
 * arguments: detected with its version when Settings points at a checkout, a clear message when
 * not, and a converted adapter registered as an artifact of kind `gguf`.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventPayload, GgufStatus, ModelArtifact, ModelArtifactDetail } from '../../../preload/contract';
import { call, createLibraryCore } from '../../helpers/library-core';
import { waitFor } from '../../helpers/temp-dir';

const CHECKOUT = resolve(import.meta.dirname, '..', '..', 'fixtures', 'llama-cpp');

describe('GGUF export', () => {
  let env: Awaited<ReturnType<typeof createLibraryCore>> | null = null;
  afterEach(async () => {
    await env?.close();
    env = null;
  });

  it('says what is needed, detects a checkout, and converts an adapter with its converter', async () => {
    env = await createLibraryCore({ stepMs: 5 });
    const none = await call<GgufStatus>(env.core, 'models.ggufStatus', {});
    expect(none).toMatchObject({ available: false, problem: expect.stringMatching(/llama\.cpp/) });
    const job = await env.createJob(10, 'to gguf');
    expect((await env.ended(job.id)).status).toBe('completed');
    const [adapter] = await call<ModelArtifact[]>(env.core, 'models.list', {});
    const refused = await env.core.api.invoke('models.exportGguf', { id: adapter?.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });

    await call(env.core, 'settings.update', { 'llamacpp.path': env.dataDir });
    expect(await call<GgufStatus>(env.core, 'models.ggufStatus', {})).toMatchObject({
      available: false,
      problem: expect.stringMatching(/no convert_lora_to_gguf\.py/),
    });
    await call(env.core, 'settings.update', { 'llamacpp.path': CHECKOUT });
    expect(await call<GgufStatus>(env.core, 'models.ggufStatus', {})).toEqual({
      available: true,
      path: CHECKOUT,
      version: 'gguf-py 0.17.1',
      problem: null,
    });

    const ends: EventPayload<'task'>[] = [];
    env.core.events.subscribe((e) => {
      if (e.name === 'task') ends.push(e.payload);
    });
    const { taskId } = await call<{ taskId: string }>(env.core, 'models.exportGguf', {
      id: adapter?.id,
      outType: 'q8_0',
    });
    const end = await waitFor(() => ends.find((t) => t.taskId === taskId), {
      timeoutMs: 20_000,
      what: 'the export',
    });
    expect(end.state, JSON.stringify(end.error)).toBe('completed');
    const gguf = await call<ModelArtifactDetail>(env.core, 'models.get', { id: end.resultId });
    expect(gguf).toMatchObject({ kind: 'gguf', name: 'to gguf (GGUF q8_0)' });
    const written = readFileSync(gguf.path);
    expect(written.subarray(0, 4).toString()).toBe('GGUF');
    // The converter got exactly the real converter's arguments.
    const args = JSON.parse(written.subarray(4).toString()).args as string[];
    expect(args).toEqual([
      '--base',
      env.modelDir,
      '--outfile',
      gguf.path,
      '--outtype',
      'q8_0',
      adapter?.path,
    ]);
    expect(gguf.path).toBe(join(env.dataDir, 'exports', adapter?.id as string, 'adapter-q8_0.gguf'));
  }, 60_000);
});
