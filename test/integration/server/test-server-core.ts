import type { ServerCore } from '../../../main/server/server-core';
import type { PushedEvent, Result } from '../../../preload/contract';

/** A small real core for the server tests: a few channels with state, and an event emitter. */
export interface TestServerCore extends ServerCore {
  /** Every invoke that reached the core, in order. */
  readonly calls: ReadonlyArray<{ readonly channel: string; readonly input: unknown }>;
  /** State changed only by `state.set`; a refused request must leave it untouched. */
  readonly state: { readonly value: string };
  emit(event: PushedEvent): void;
  listenerCount(): number;
}

/** Channels: `echo` (returns its input), `state.set` ({ value: string }), `boom` (throws). */
export function createTestServerCore(): TestServerCore {
  const calls: Array<{ channel: string; input: unknown }> = [];
  const state = { value: 'initial' };
  const listeners = new Set<(event: PushedEvent) => void>();
  const invoke = async (channel: string, input: unknown): Promise<Result<unknown>> => {
    calls.push({ channel, input });
    switch (channel) {
      case 'echo':
        return { ok: true, value: input };
      case 'state.set': {
        const value = (input as { value?: unknown } | null)?.value;
        if (typeof value !== 'string') {
          return { ok: false, error: { code: 'BAD_INPUT', message: '`value` must be a string' } };
        }
        state.value = value;
        return { ok: true, value: { value } };
      }
      case 'boom':
        throw new Error('secret stack detail');
      default:
        return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `unknown channel ${channel}` } };
    }
  };
  return {
    calls,
    state,
    api: { invoke },
    events: {
      subscribe(listener) {
        listeners.add(listener);
        return () => {
          listeners.delete(listener);
        };
      },
    },
    emit(event) {
      for (const listener of listeners) listener(event);
    },
    listenerCount: () => listeners.size,
  };
}
