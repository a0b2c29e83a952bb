/**
 * The preload's `window.desktop`: preload/index.ts is loaded with a stand-in `electron` module (the
 * one boundary that cannot run here) and the bridge it exposes is probed: which dialog requests
 * reach `ipcRenderer.invoke`, which menu commands reach a listener, and where a file's path comes from.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { DesktopBridge, DesktopCommand, PickPathRequest } from '../../preload/contract';

const electron = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  const invoked: Array<{ ipcChannel: string; args: unknown[] }> = [];
  const listeners = new Map<string, Set<(...args: never[]) => void>>();
  const pathsAsked: unknown[] = [];
  return { exposed, invoked, listeners, pathsAsked, answer: '/home/ada/data.jsonl' as unknown };
});

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, value: unknown) => electron.exposed.set(key, value),
  },
  ipcRenderer: {
    invoke: (ipcChannel: string, ...args: unknown[]) => {
      electron.invoked.push({ ipcChannel, args });
      return Promise.resolve(electron.answer);
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
  webUtils: {
    getPathForFile: (file: unknown) => {
      electron.pathsAsked.push(file);
      return (file as { name: string }).name === 'typed.txt' ? '' : '/drops/from-web-utils.csv';
    },
  },
}));

let desktop: DesktopBridge;

beforeAll(async () => {
  await import('../../preload/index');
  desktop = electron.exposed.get('desktop') as DesktopBridge;
});

describe('window.desktop', () => {
  it('exposes exactly pickPath, pathForFile and onCommand', () => {
    expect(Object.keys(desktop).sort()).toEqual(['onCommand', 'pathForFile', 'pickPath']);
  });

  it('forwards a valid dialog request to desktop:pick-path and answers the picked path', async () => {
    electron.invoked.length = 0;
    electron.answer = '/home/ada/data.jsonl';
    const request: PickPathRequest = {
      mode: 'open',
      title: 'Import a dataset',
      filters: [{ name: 'Datasets', extensions: ['jsonl', 'csv'] }],
    };
    expect(await desktop.pickPath(request)).toBe('/home/ada/data.jsonl');
    expect(electron.invoked).toEqual([{ ipcChannel: 'desktop:pick-path', args: [request] }]);
  });

  it('answers null when the dialog was cancelled', async () => {
    electron.invoked.length = 0;
    electron.answer = null;
    expect(await desktop.pickPath({ mode: 'save', defaultPath: '/tmp/out.jsonl' })).toBeNull();
    expect(electron.invoked).toHaveLength(1);
  });

  it('refuses a bad request without touching IPC', async () => {
    const bad: unknown[] = [
      { mode: 'delete' },
      {},
      { mode: 'open', filters: [{ name: 'x', extensions: ['../../etc'] }] },
      { mode: 'open', properties: ['openDirectory'] },
      { mode: 'save', title: '' },
      'open',
    ];
    for (const request of bad) {
      electron.invoked.length = 0;
      await expect(desktop.pickPath(request as PickPathRequest), JSON.stringify(request)).rejects.toThrow();
      expect(electron.invoked, JSON.stringify(request)).toEqual([]);
    }
  });

  it('asks webUtils for a file’s path, null when it has none', () => {
    electron.pathsAsked.length = 0;
    const dropped = { name: 'dropped.csv' } as File;
    const typed = { name: 'typed.txt' } as File;
    expect(desktop.pathForFile(dropped)).toBe('/drops/from-web-utils.csv');
    expect(desktop.pathForFile(typed)).toBeNull();
    expect(electron.pathsAsked).toEqual([dropped, typed]);
  });

  it('passes the schema’s menu commands to the listener, drops the rest, until unsubscribed', () => {
    const received: DesktopCommand[] = [];
    const off = desktop.onCommand((command) => received.push(command));
    const listeners = electron.listeners.get('desktop:command');
    expect(listeners?.size).toBe(1);
    const send = (command: unknown) => {
      for (const listener of listeners ?? []) (listener as (e: unknown, c: unknown) => void)({}, command);
    };
    for (const command of ['new-job', 'import-dataset', 'shortcuts', 'about', 'quit', 'NEW-JOB', '', null, 7])
      send(command);
    expect(received).toEqual(['new-job', 'import-dataset', 'shortcuts', 'about']);
    off();
    send('about');
    expect(received).toHaveLength(4);
    expect(listeners?.size).toBe(0);
  });
});
