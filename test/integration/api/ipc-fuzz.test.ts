import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../../../main/core';
import { CHANNELS, type Channel, contract } from '../../../preload/contract';
import { makeTempDir } from '../../helpers/temp-dir';
import { openDataDirDb } from '../../helpers/test-db';

/** Channels that spawn processes when called correctly: fuzzed only with inputs they must reject. */
const SLOW_WHEN_VALID: ReadonlySet<Channel> = new Set([
  'doctor.run',
  'telemetry.system',
  'python.setup',
  'models.scan',
  'datasets.import',
  'datasets.inspect',
]);
const RUNS = 1000;

const hostile = fc.oneof(
  fc.anything({ withObjectString: true, withNullPrototype: true, maxDepth: 4 }),
  fc.constant(JSON.parse('{"__proto__":{"polluted":true}}')),
  fc.constant(JSON.parse('{"constructor":{"prototype":{"polluted":true}}}')),
  fc.constant(JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`)),
  fc.constant({ 'energy.pricePerKwh': Number.NaN }),
  fc.constant({ 'energy.pricePerKwh': '1e309' }),
  fc.dictionary(
    fc.constantFrom(...Object.keys(contract['settings.update'].input.shape), '__proto__', 'x'),
    fc.anything({ maxDepth: 2 }),
  ),
);

describe('IPC-fuzz: random payloads on every channel', () => {
  const tmp = makeTempDir();
  let core: Core;
  // What a rejected call must leave as it was, read through the API like any client would.
  const snapshot = async () =>
    JSON.stringify(await core.api.invoke('settings.get', {})) +
    JSON.stringify(await core.api.invoke('notifications.list', { limit: 500 }));

  beforeAll(async () => {
    core = await createCore({ dataDir: tmp.dir, shell: 'test' });
    const seeding = await openDataDirDb(tmp.dir);
    seeding.sqlite
      .prepare(
        `INSERT INTO notifications (id, kind, title, created_at, updated_at) VALUES ('ntf_seed', 'info', 'seed', 1, 1)`,
      )
      .run();
    seeding.close();
  });
  afterAll(async () => {
    await core.close();
    tmp.cleanup();
  });

  for (const channel of CHANNELS) {
    it(`${channel}: returns a typed error or a valid result, quickly, and rejected calls change nothing`, async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      let slowest = 0;
      try {
        await fc.assert(
          fc.asyncProperty(hostile, async (input) => {
            const valid = contract[channel].input.safeParse(input ?? {}).success;
            if (valid && SLOW_WHEN_VALID.has(channel)) return;
            const before = await snapshot();
            const started = performance.now();
            const result = await core.api.invoke(channel, input);
            slowest = Math.max(slowest, performance.now() - started);
            if (result.ok) {
              expect(contract[channel].output.safeParse(result.value).success).toBe(true);
            } else {
              expect(typeof result.error.code).toBe('string');
              expect(typeof result.error.message).toBe('string');
              expect(result.error.message).not.toMatch(/\n\s+at /);
              expect(await snapshot()).toBe(before);
            }
            expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          }),
          { numRuns: RUNS },
        );
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
      expect(unhandled).toEqual([]);
      // Recorded, not asserted as a timing: RELIABILITY.md's budget is 50 ms per call.
      console.info(`${channel}: slowest of ${RUNS} calls ${slowest.toFixed(1)} ms`);
    }, 120_000);
  }
});
