import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEventLine } from '../../../main/training/trainer-events';
import { waitFor } from '../../helpers/temp-dir';
import { createHarness, type Harness, storedSteps } from '../../helpers/training-harness';

/** Event streams recorded from the real trainer (e.g. on a GPU machine), replayed through the supervisor. */
const STREAMS_DIR = resolve(import.meta.dirname, '..', '..', 'fixtures', 'trainer-streams');
const streams = existsSync(STREAMS_DIR) ? readdirSync(STREAMS_DIR).filter((f) => f.endsWith('.jsonl')) : [];

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('recorded trainer streams', () => {
  it('replays every recording to the status, steps and bad-line count it holds', async () => {
    // The recordings are committed: none found is a broken checkout, not a reason to pass.
    expect(streams, `no *.jsonl recordings in ${STREAMS_DIR}`).not.toHaveLength(0);
    for (const name of streams) {
      const file = join(STREAMS_DIR, name);
      const lines = readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '');
      const parsed = lines.map(parseEventLine);
      const events = parsed.flatMap((p) => ('event' in p ? [p.event] : []));
      const done = events.find((e) => e.type === 'done');
      const expected = done?.type === 'done' ? done.status : 'failed';
      const logSteps = [...new Set(events.flatMap((e) => (e.type === 'log' ? [e.step] : [])))].sort(
        (a, b) => a - b,
      );
      h = await createHarness({ fixture: 'replay-stream.mjs', fixtureEnv: { REPLAY_STREAM: file } });
      await h.service.start();
      const { id } = await h.service.create(h.request());
      const job = await waitFor(
        () => {
          const j = h?.service.list().find((x) => x.id === id);
          return j && ['completed', 'failed', 'cancelled'].includes(j.status) ? j : null;
        },
        { timeoutMs: 30_000, what: `replay of ${name}` },
      );
      expect(job.status, name).toBe(expected);
      expect(storedSteps(h.opened, id), name).toEqual(logSteps);
      expect((await h.service.get(id)).badEventLines, name).toBe(parsed.length - events.length);
      await h.close();
      h = null;
    }
  });
});
