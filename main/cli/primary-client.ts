import { WebSocket } from 'ws';
import type { AppInfo, PushedEvent, Result, WsMessage } from '../../preload/contract';
import { parsePushedEvent } from '../../preload/contract';
import type { EndpointRecord } from '../core-lock';
import { CliError } from './cli-error';

/** What a CLI command works on: a core of its own, or the running primary over its command socket. */
export interface CliCore {
  readonly api: { invoke(channel: string, input: unknown): Promise<Result<unknown>> };
  readonly events: { subscribe(listener: (event: PushedEvent) => void): () => void };
  readonly info: AppInfo;
  /** The primary this CLI talks to, or null when it runs its own core. */
  readonly remote: EndpointRecord | null;
  /** Settles when the connection to the primary drops (never for a core of its own). */
  readonly lost: Promise<void>;
  close(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 5_000;

/** Connect to a data folder's primary (the endpoint it recorded) and speak the serve protocol. */
export async function connectToPrimary(endpoint: EndpointRecord): Promise<CliCore> {
  const socket = new WebSocket(`ws://127.0.0.1:${endpoint.port}/ws`, {
    headers: { Authorization: `Bearer ${endpoint.secret}` },
    perMessageDeflate: false,
    handshakeTimeout: CONNECT_TIMEOUT_MS,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', (error) =>
      reject(
        new CliError({
          code: 'UNAVAILABLE',
          message: `LoRA Studio (${endpoint.shell}, pid ${endpoint.pid}) holds this data folder but could not be reached: ${error.message}`,
        }),
      ),
    );
  });
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Set<(event: PushedEvent) => void>();
  let nextId = 1;
  let closedByUs = false;
  let markLost: () => void = () => {};
  const lost = new Promise<void>((resolve) => {
    markLost = resolve;
  });
  socket.on('message', (data) => {
    let message: WsMessage;
    try {
      message = JSON.parse(String(data)) as WsMessage;
    } catch {
      return;
    }
    if (message.type === 'result') {
      const resolve = pending.get(message.id);
      pending.delete(message.id);
      resolve?.(message.result);
    } else if (message.type === 'event') {
      const checked = parsePushedEvent(message.event);
      if (!checked.ok) return;
      for (const listener of [...listeners]) listener(checked.event);
    }
  });
  socket.on('error', () => {});
  socket.once('close', () => {
    for (const resolve of pending.values()) {
      resolve({
        ok: false,
        error: {
          code: 'UNAVAILABLE',
          message: `The connection to LoRA Studio (pid ${endpoint.pid}) closed.`,
        },
      });
    }
    pending.clear();
    if (!closedByUs) markLost();
  });
  const invoke = (channel: string, input: unknown): Promise<Result<unknown>> =>
    new Promise((resolve) => {
      if (socket.readyState !== WebSocket.OPEN) {
        resolve({
          ok: false,
          error: {
            code: 'UNAVAILABLE',
            message: `The connection to LoRA Studio (pid ${endpoint.pid}) closed.`,
          },
        });
        return;
      }
      const id = nextId++;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, channel, input }));
    });
  const info = await invoke('app.info', {});
  if (!info.ok) throw new CliError(info.error);
  return {
    api: { invoke },
    events: {
      subscribe(listener) {
        listeners.add(listener);
        return () => {
          listeners.delete(listener);
        };
      },
    },
    info: info.value as AppInfo,
    remote: endpoint,
    lost,
    close: () =>
      new Promise<void>((resolve) => {
        closedByUs = true;
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close();
      }),
  };
}
