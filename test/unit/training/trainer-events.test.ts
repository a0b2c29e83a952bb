import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEventLine, repairNonFiniteTokens } from '../../../main/training/trainer-events';

/** The protocol lines exactly as ARCHITECTURE.md documents them. */
const DOC_LINES = [
  '{"v":1,"seq":1,"ts":1764100000.1,"type":"phase","phase":"loading_model"}',
  '{"v":1,"seq":2,"ts":1764100009.4,"type":"started","max_steps":500,"num_train_samples":1000,"trainable_params":41943040,"world_size":1,"precision":"bf16"}',
  '{"v":1,"seq":3,"ts":1764100012.0,"type":"log","step":10,"epoch":0.02,"loss":1.84,"learning_rate":0.0002,"grad_norm":0.91,"tokens_seen":40960,"tokens_per_s":3120.5,"eta_s":1520,"gpu_mem_gb":21.3}',
  '{"v":1,"seq":4,"ts":1764100101.7,"type":"eval","step":100,"eval_loss":1.61}',
  '{"v":1,"seq":5,"ts":1764100102.2,"type":"checkpoint","step":100,"path":"checkpoints/checkpoint-100"}',
  '{"v":1,"seq":6,"ts":1764100530.9,"type":"done","status":"completed","step":500,"adapter_path":"adapter"}',
  '{"v":1,"seq":7,"ts":1764100530.9,"type":"error","message":"CUDA out of memory…","traceback":"…","oom":true}',
];

describe('trainer event protocol v1', () => {
  it('parses every documented event type', () => {
    const parsed = DOC_LINES.map(parseEventLine);
    expect(parsed.every((p) => 'event' in p && !p.repaired)).toBe(true);
    const events = parsed.map((p) => ('event' in p ? p.event : null));
    expect(events.map((e) => e?.type)).toEqual([
      'phase',
      'started',
      'log',
      'eval',
      'checkpoint',
      'done',
      'error',
    ]);
    expect(events[2]).toMatchObject({
      step: 10,
      loss: 1.84,
      tokens_per_s: 3120.5,
      gpu_mem_gb: 21.3,
      step_time_s: null,
    });
    expect(events[1]).toMatchObject({ max_steps: 500, precision: 'bf16', resumed_from_step: null });
    expect(events[6]).toMatchObject({ message: 'CUDA out of memory…', oom: true });
  });

  it('reads what the real trainer adds (run_id, step_time_s, perplexity, reason) and ignores unknown fields', () => {
    const line =
      '{"v":1,"run_id":"r1","seq":9,"ts":1.5,"type":"checkpoint","step":20,"path":"checkpoints/checkpoint-20","reason":"cancel","extra":{"deep":[1]}}';
    const p = parseEventLine(line);
    expect(p).toEqual({
      event: {
        v: 1,
        seq: 9,
        ts: 1.5,
        type: 'checkpoint',
        step: 20,
        path: 'checkpoints/checkpoint-20',
        reason: 'cancel',
      },
      repaired: false,
      nonFiniteLoss: false,
    });
  });

  it('flags a log whose loss was sent but is not finite (NaN, Infinity, null), not one without a loss', () => {
    const flag = (line: string) => {
      const p = parseEventLine(line);
      return 'bad' in p ? 'bad' : p.nonFiniteLoss;
    };
    expect(flag('{"v":1,"seq":1,"type":"log","step":3,"loss":NaN}')).toBe(true);
    expect(flag('{"v":1,"seq":1,"type":"log","step":3,"loss":null}')).toBe(true);
    expect(flag('{"v":1,"seq":1,"type":"log","step":3,"loss":1e999}')).toBe(true);
    expect(flag('{"v":1,"seq":1,"type":"log","step":3,"loss":0.5}')).toBe(false);
    expect(flag('{"v":1,"seq":1,"type":"log","step":3,"grad_norm":NaN}')).toBe(false);
  });

  it('turns missing optional fields and non-numbers into null', () => {
    const p = parseEventLine('{"v":1,"seq":1,"type":"log","step":3,"loss":"high","grad_norm":1e999}');
    expect(p).toMatchObject({ event: { ts: null, loss: null, grad_norm: null, learning_rate: null } });
  });

  it('repairs bare NaN / Infinity (Python json.dumps without allow_nan=False) but not inside strings', () => {
    expect(repairNonFiniteTokens('{"a":NaN,"b":-Infinity,"c":[Infinity],"s":"NaN \\" Infinity"}')).toBe(
      '{"a":null,"b":null,"c":[null],"s":"NaN \\" Infinity"}',
    );
    expect(repairNonFiniteTokens('{"a":1}')).toBeNull();
    const p = parseEventLine('{"v":1,"seq":2,"ts":1,"type":"log","step":4,"loss":NaN}');
    expect(p).toMatchObject({ event: { step: 4, loss: null }, repaired: true });
  });

  it('names what is wrong with a bad line', () => {
    expect(parseEventLine('garbage')).toEqual({ bad: 'not valid JSON' });
    expect(parseEventLine('[1]')).toEqual({ bad: 'not a JSON object' });
    expect(parseEventLine('{"v":2,"seq":1,"type":"log","step":1}')).toEqual({
      bad: 'unsupported protocol version 2',
    });
    expect(parseEventLine('{"v":1,"seq":1,"type":"log"}')).toMatchObject({
      bad: expect.stringMatching(/^log: step/),
    });
    expect(parseEventLine('{"v":1,"seq":1,"type":"done","status":"maybe"}')).toMatchObject({
      bad: expect.stringMatching(/^done: status/),
    });
    expect(parseEventLine('{"v":1,"seq":1,"type":"mystery"}')).toHaveProperty('bad');
    expect(parseEventLine('\uFEFF{"v":1,"seq":1,"type":"phase","phase":"saving"}')).toHaveProperty('event');
  });

  it('never throws, whatever the line (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (line) => {
        const p = parseEventLine(line);
        expect('bad' in p || 'event' in p).toBe(true);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.constantFrom('log', 'done', 'error', 'started', 'phase'),
        (value, type) => {
          const line = JSON.stringify({
            v: 1,
            seq: 1,
            type,
            step: value,
            status: value,
            message: value,
            phase: value,
          });
          expect(() => parseEventLine(line)).not.toThrow();
        },
      ),
      { numRuns: 1000 },
    );
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(parseEventLine(deep)).toHaveProperty('bad');
  });

  it('accepts any well-formed log event (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat({ max: 10_000_000 }),
        fc.option(fc.double({ noNaN: true, noDefaultInfinity: true })),
        (seq, step, loss) => {
          const p = parseEventLine(JSON.stringify({ v: 1, seq, ts: 1, type: 'log', step, loss }));
          // JSON has no -0: it round-trips as 0.
          expect(p).toMatchObject({ event: { seq, step, loss: loss === null ? null : loss + 0 } });
        },
      ),
    );
  });
});
