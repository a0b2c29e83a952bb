/**
 * The preload's real exposure: preload/index.ts is loaded with a stand-in `electron` module (the
 * one boundary that cannot run here), and what it hands `contextBridge.exposeInMainWorld` is probed
 * channel by channel: which calls reach `ipcRenderer.invoke`, which are refused.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { type ApiBridge, contract, events, type PushedEvent } from '../../preload/contract';

type Listener = (event: unknown, pushed: PushedEvent) => void;

const electron = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  const invoked: Array<{ ipcChannel: string; args: unknown[] }> = [];
  const listeners = new Map<string, Set<(...args: never[]) => void>>();
  return { exposed, invoked, listeners };
});

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, value: unknown) => electron.exposed.set(key, value),
  },
  ipcRenderer: {
    invoke: (ipcChannel: string, ...args: unknown[]) => {
      electron.invoked.push({ ipcChannel, args });
      return Promise.resolve({ ok: true, value: 'from main' });
    },
    on: (ipcChannel: string, listener: (...args: never[]) => void) => {
      const set = electron.listeners.get(ipcChannel) ?? new Set();
      set.add(listener);
      electron.listeners.set(ipcChannel, set);
    },
    removeListener: (ipcChannel: string, listener: (...args: never[]) => void) => {
      electron.listeners.get(ipcChannel)?.delete(listener);
    },
  },
}));

const CONTRACT_CHANNELS = Object.keys(contract).sort();
const CONTRACT_EVENTS = Object.keys(events).sort();

/** Names that are not channels but look like one, or like something an object or the IPC layer has. */
const IMPOSTORS = [
  ...CONTRACT_CHANNELS.flatMap((channel) => [`${channel}x`, channel.toUpperCase(), ` ${channel}`]),
  'api:invoke',
  'api:event',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '',
];

/** The channels for which `api.invoke` reaches `ipcRenderer.invoke('api:invoke', channel, input)`. */
async function forwardedChannels(api: ApiBridge, candidates: ReadonlyArray<string>): Promise<string[]> {
  const forwarded: string[] = [];
  for (const channel of candidates) {
    electron.invoked.length = 0;
    const input = { probe: channel };
    const answer = await (api.invoke as (c: string, i: unknown) => Promise<unknown>)(channel, input);
    if (electron.invoked.length > 0) {
      expect(electron.invoked).toEqual([{ ipcChannel: 'api:invoke', args: [channel, input] }]);
      expect(answer).toEqual({ ok: true, value: 'from main' });
      forwarded.push(channel);
    } else {
      expect(answer).toEqual({
        ok: false,
        error: { code: 'UNKNOWN_CHANNEL', message: `No API channel "${channel}".` },
      });
    }
  }
  return forwarded.sort();
}

/** A bridge that forwards whatever it is given: what the preload would be without its allow-list. */
function permissiveBridge(): ApiBridge {
  return {
    invoke: ((channel: string, input: unknown) =>
      electron.invoked.push({ ipcChannel: 'api:invoke', args: [channel, input] }) &&
      Promise.resolve({ ok: true, value: 'from main' })) as ApiBridge['invoke'],
    on: (() => () => undefined) as ApiBridge['on'],
  };
}

let api: ApiBridge;

beforeAll(async () => {
  await import('../../preload/index');
  api = electron.exposed.get('api') as ApiBridge;
});

describe('the preload as the renderer sees it', () => {
  it('exposes `api`, with invoke and on and nothing of ipcRenderer, and `desktop` (preload-desktop.test.ts)', () => {
    expect([...electron.exposed.keys()]).toEqual(['api', 'desktop']);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
  });

  it('forwards exactly the contract’s channels to the main process', async () => {
    expect(await forwardedChannels(api, [...CONTRACT_CHANNELS, ...IMPOSTORS])).toEqual(CONTRACT_CHANNELS);
  });

  it('refuses an unknown channel without touching IPC', async () => {
    electron.invoked.length = 0;
    const answer = await (api.invoke as (c: string, i: unknown) => Promise<unknown>)('db.exec', {
      sql: 'DROP TABLE jobs',
    });
    expect(answer).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL', message: 'No API channel "db.exec".' },
    });
    expect(electron.invoked).toEqual([]);
  });

  it('delivers exactly the contract’s events, each only to its own listeners, until unsubscribed', () => {
    for (const name of CONTRACT_EVENTS) {
      const received: unknown[] = [];
      const off = api.on(name as never, ((payload: unknown) => received.push(payload)) as never);
      const pushed = electron.listeners.get('api:event');
      expect(pushed?.size).toBe(1);
      // Payloads are opaque to the preload, so any value stands in for a real one.
      const emit = (event: { name: string; payload: unknown }) => {
        for (const listener of pushed ?? []) (listener as Listener)({}, event as unknown as PushedEvent);
      };
      const other = CONTRACT_EVENTS.find((e) => e !== name) ?? `${name}x`;
      emit({ name: other, payload: 'not for me' });
      emit({ name, payload: { n: 1 } });
      off();
      emit({ name, payload: { n: 2 } });
      expect(received, name).toEqual([{ n: 1 }]);
      expect(electron.listeners.get('api:event')?.size).toBe(0);
    }
    for (const name of ['job.progres', 'api:event', '__proto__', 'constructor'])
      expect(() => api.on(name as never, (() => undefined) as never)).toThrow(`No API event "${name}".`);
  });
});

describe('negative control: the probe can fail', () => {
  it('reports every impostor a bridge without an allow-list would forward', async () => {
    const forwarded = await forwardedChannels(permissiveBridge(), [...CONTRACT_CHANNELS, ...IMPOSTORS]);
    expect(forwarded).not.toEqual(CONTRACT_CHANNELS);
    expect(forwarded).toEqual([...CONTRACT_CHANNELS, ...IMPOSTORS].sort());
  });
});
