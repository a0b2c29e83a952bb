import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastLogEvent } from '../../../main/training/log-event-fast-path';
import { LogEventSchema, parseEventLine, TrainerEventSchema } from '../../../main/training/trainer-events';

const FIXTURES = resolve(import.meta.dirname, '..', '..', 'fixtures');

/** The protocol lines the fixtures hold: recorded real runs, and what the fixture trainers write. */
function fixtureLines(): string[] {
  const streams = join(FIXTURES, 'trainer-streams');
  const recorded = readdirSync(streams)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(streams, f), 'utf8').split('\n'))
    .filter((line) => line.trim() !== '');
  // protocol.mjs's log event, as the fixture trainers emit it (every field, NaN loss as null).
  const written = [
    '{"v":1,"seq":9,"ts":1764100012.5,"type":"log","step":3,"epoch":0.05,"loss":null,"learning_rate":0.00019,"grad_norm":0.5,"tokens_seen":1536,"tokens_per_s":5000,"eta_s":1.2,"gpu_mem_gb":null,"step_time_s":0.01}',
    '{"v":1,"seq":10,"ts":1764100013,"type":"log","step":4,"loss":0.7,"rewards/chosen":0.1,"rewards/rejected":-0.2,"rewards/margins":0.3,"rewards/accuracies":1,"run_id":"abc"}',
  ];
  return [...recorded, ...written];
}

/** The schema's answer for one record: the parsed event or null. */
function bySchema(record: Record<string, unknown>): unknown {
  const parsed = LogEventSchema.safeParse(record);
  return parsed.success ? parsed.data : null;
}

/** Both must accept the same records and return the same object (same keys in the same order). */
function expectSame(record: Record<string, unknown>): void {
  const fast = fastLogEvent(record);
  const schema = bySchema(record);
  expect(fast === null, JSON.stringify(record)).toBe(schema === null);
  if (fast === null) return;
  expect(fast).toStrictEqual(schema);
  expect(Object.keys(fast)).toEqual(Object.keys(schema as object));
}

const valid = {
  v: 1,
  seq: 12,
  ts: 1764100012.0,
  type: 'log',
  step: 10,
  epoch: 0.02,
  loss: 1.84,
  learning_rate: 0.0002,
  grad_norm: 0.91,
  tokens_seen: 40960,
  tokens_per_s: 3120.5,
  eta_s: 1520,
  gpu_mem_gb: 21.3,
  step_time_s: 0.4,
};

/** Values that break or bend each rule: wrong types, fractions, negatives, unsafe and huge numbers. */
const odd = fc.oneof(
  fc.constantFrom(
    -1,
    -0,
    0.5,
    2 ** 53,
    2 ** 53 - 1,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    '1',
    '',
    true,
    false,
    null,
    [],
    [1],
    {},
    { valueOf: 1 },
    'NaN',
  ),
  fc.double(),
  fc.integer(),
  fc.jsonValue(),
);

describe('the `log` fast path', () => {
  it('returns what the schema returns for every protocol line of the fixtures', () => {
    let logs = 0;
    for (const line of fixtureLines()) {
      const record = JSON.parse(line) as Record<string, unknown>;
      expectSame(record);
      if (record.type !== 'log') continue;
      logs++;
      expect(fastLogEvent(record)).not.toBeNull();
      // And parseEventLine, which takes the fast path, answers as the schema alone would.
      const schema = TrainerEventSchema.safeParse(record);
      expect(parseEventLine(line)).toMatchObject({ event: schema.data });
    }
    expect(logs).toBeGreaterThanOrEqual(16);
  });

  it('accepts and rejects exactly what the schema does on generated bad lines (fast-check)', () => {
    const keys = [...Object.keys(LogEventSchema.shape), 'run_id', '__proto__', 'constructor'];
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...keys), odd, { maxKeys: 6 }),
        fc.subarray(Object.keys(valid)),
        (changes, dropped) => {
          const record: Record<string, unknown> = { ...valid };
          for (const key of dropped) delete record[key];
          // Through JSON, as a line would arrive (the fixture values that JSON cannot carry stay odd).
          const line = JSON.stringify({ ...record, ...changes });
          expectSame(JSON.parse(line) as Record<string, unknown>);
          expectSame(Object.assign(record, changes));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('leaves every rejection to the schema, whose message names the field', () => {
    for (const [line, message] of [
      ['{"v":1,"seq":1,"type":"log","step":-1}', 'log: step'],
      ['{"v":1,"seq":1.5,"type":"log","step":1}', 'log: seq'],
      ['{"v":1,"seq":1,"type":"log","step":9007199254740992}', 'log: step'],
      ['{"v":1,"seq":1,"type":"log"}', 'log: step'],
      ['{"v":1,"seq":1e400,"type":"log","step":1}', 'log: seq'],
    ] as const) {
      expect(fastLogEvent(JSON.parse(line))).toBeNull();
      expect(parseEventLine(line)).toMatchObject({ bad: expect.stringContaining(message) });
    }
  });
});
