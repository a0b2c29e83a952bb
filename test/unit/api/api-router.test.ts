import { describe, expect, it } from 'vitest';
import { createApiRouter, type Handlers } from '../../../main/api/api-router';
import { AppError } from '../../../main/errors';
import { type GpuStatus, SETTINGS_DEFAULTS } from '../../../preload/contract';

const gpu: GpuStatus = {
  state: 'no-nvidia-smi',
  message: 'nvidia-smi not found',
  gpus: [],
  sampledAt: null,
  processes: [],
};

/** The core's channels only: later channels are never invoked by these tests. */
function handlers(overrides: Partial<Handlers> = {}): Handlers {
  return {
    'app.info': () => ({
      name: 'LoRA Studio',
      version: '0.1.0',
      dataDir: '/d',
      dbPath: '/d/db',
      shell: 'test',
      startedAt: 1,
    }),
    'settings.get': () => ({ ...SETTINGS_DEFAULTS }),
    'settings.update': (patch) => ({ ...SETTINGS_DEFAULTS, ...patch }),
    'telemetry.gpu': () => gpu,
    'telemetry.system': () => {
      throw new Error('disk exploded');
    },
    'doctor.run': () => {
      throw new AppError('UNAVAILABLE', 'doctor is busy');
    },
    'notifications.list': () => [],
    'notifications.markRead': () => ({ updated: 0 }),
    ...overrides,
  } as Handlers;
}

describe('the API router (handle wrapper)', () => {
  it('returns the handler result for valid input', async () => {
    const router = createApiRouter(handlers());
    expect(await router.invoke('telemetry.gpu', {})).toEqual({ ok: true, value: gpu });
  });

  it('rejects an unknown channel, including prototype names', async () => {
    const router = createApiRouter(handlers());
    for (const channel of ['nope', '__proto__', 'constructor', 'toString']) {
      const result = await router.invoke(channel, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    }
  });

  it('rejects invalid input with a message naming the field, and never calls the handler', async () => {
    let called = false;
    const router = createApiRouter(
      handlers({
        'settings.update': () => {
          called = true;
          return { ...SETTINGS_DEFAULTS };
        },
      }),
    );
    const result = await router.invoke('settings.update', { 'energy.pricePerKwh': 'cheap' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('BAD_INPUT');
    expect(result.error.message).toContain('energy.pricePerKwh');
    expect(called).toBe(false);
    const extra = await router.invoke('settings.update', { 'no.such.setting': 1 });
    expect(extra).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });

  it('turns a typed error into its code and an unexpected one into INTERNAL without a stack', async () => {
    const router = createApiRouter(handlers());
    expect(await router.invoke('doctor.run', {})).toEqual({
      ok: false,
      error: { code: 'UNAVAILABLE', message: 'doctor is busy' },
    });
    const internal = await router.invoke('telemetry.system', {});
    expect(internal).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    if (!internal.ok) expect(internal.error.message).not.toMatch(/\n\s+at /);
  });

  it('refuses a handler output that breaks the contract', async () => {
    const router = createApiRouter(handlers({ 'telemetry.gpu': () => ({ state: 'bogus' }) as never }));
    expect(await router.invoke('telemetry.gpu', {})).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
  });
});
