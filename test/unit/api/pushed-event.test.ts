import { describe, expect, it } from 'vitest';
import type { ApiBridge, EventName } from '../../../preload/contract';
import { parsePushedEvent } from '../../../preload/contract';
import { createIpcTransport } from '../../../renderer/src/api/ipc-transport';

describe('pushed events are checked against the contract', () => {
  it('accepts a known event with a valid payload and refuses the rest with a reason', () => {
    expect(parsePushedEvent({ name: 'changed', payload: { entity: 'jobs', id: 'j1' } })).toEqual({
      ok: true,
      event: { name: 'changed', payload: { entity: 'jobs', id: 'j1' } },
    });
    expect(parsePushedEvent({ name: 'changed', payload: { entity: 'nope', id: null } })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('changed'),
    });
    expect(parsePushedEvent({ name: 'toString', payload: {} })).toMatchObject({ ok: false });
    expect(parsePushedEvent({ name: '__proto__', payload: {} })).toMatchObject({ ok: false });
    expect(parsePushedEvent(null)).toMatchObject({ ok: false });
    expect(parsePushedEvent('changed')).toMatchObject({ ok: false });
  });

  it('the IPC transport passes valid payloads to listeners and drops invalid ones', () => {
    let push: ((payload: unknown) => void) | null = null;
    const bridge: ApiBridge = {
      invoke: () => Promise.reject(new Error('unused')),
      on: (_name: EventName, listener) => {
        push = listener as (payload: unknown) => void;
        return () => {};
      },
    };
    const seen: unknown[] = [];
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      createIpcTransport(bridge).on('changed', (payload) => seen.push(payload));
      push!({ entity: 'jobs', id: null });
      push!({ entity: 42 });
    } finally {
      console.error = original;
    }
    expect(seen).toEqual([{ entity: 'jobs', id: null }]);
    expect(errors).toHaveLength(1);
  });
});
