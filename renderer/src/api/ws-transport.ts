import type {
  ApiError,
  Channel,
  ChannelInput,
  ChannelOutput,
  EventName,
  EventPayload,
  PushedEvent,
  Result,
  WsMessage,
  WsRequest,
} from '../../../preload/contract';
import { parsePushedEvent } from '../../../preload/contract';
import type { ConnectionState, Transport } from './transport';

/** The subset of the DOM WebSocket the transport uses (lets tests pass a fake). */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Options for the WebSocket transport; everything but `url` has a sensible default. */
export interface WsTransportOptions {
  readonly url: string;
  readonly createSocket?: (url: string) => SocketLike;
  /** How long a request made while disconnected waits for the connection before failing. */
  readonly connectTimeoutMs?: number;
  /** First reconnect delay; doubles per failed attempt up to `maxBackoffMs`. */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly random?: () => number;
}

type Listener = (payload: unknown) => void;

interface Waiting {
  readonly send: () => void;
  readonly fail: (error: ApiError) => void;
}

const OPEN = 1;

/** The serve-mode URL of the WebSocket endpoint on the page's own host (the auth cookie rides along). */
export function defaultWsUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

/**
 * The browser transport (serve mode): one WebSocket, numbered requests with a pending map, pushed
 * events fanned out by name, reconnect with capped exponential backoff and jitter. A request made
 * while disconnected waits for the connection, then fails `UNAVAILABLE` after `connectTimeoutMs`;
 * a request in flight when the connection drops fails `UNAVAILABLE` at once (it is not re-sent,
 * because it may already have taken effect).
 */
export function createWsTransport(options: WsTransportOptions): Transport {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url));
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const initialBackoffMs = options.initialBackoffMs ?? 250;
  const maxBackoffMs = options.maxBackoffMs ?? 5_000;
  const random = options.random ?? Math.random;

  const pending = new Map<number, (result: Result<unknown>) => void>();
  const waiting = new Set<Waiting>();
  const listeners = new Map<EventName, Set<Listener>>();
  const stateListeners = new Set<(state: ConnectionState) => void>();

  let socket: SocketLike | null = null;
  let state: ConnectionState = 'connecting';
  let nextId = 1;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  const setState = (next: ConnectionState): void => {
    if (next === state) return;
    state = next;
    for (const listener of [...stateListeners]) listener(next);
  };

  const unavailable = (message: string): ApiError => ({ code: 'UNAVAILABLE', message });

  const dispatch = (event: PushedEvent): void => {
    for (const listener of [...(listeners.get(event.name) ?? [])]) {
      try {
        listener(event.payload);
      } catch (error) {
        console.error(`listener for ${event.name} failed:`, error);
      }
    }
  };

  const onMessage = (raw: unknown): void => {
    if (typeof raw !== 'string') return;
    let message: WsMessage;
    try {
      message = JSON.parse(raw) as WsMessage;
    } catch {
      console.error('ignored a WebSocket message that is not JSON');
      return;
    }
    if (message.type === 'result') {
      const resolve = pending.get(message.id);
      if (resolve === undefined) return;
      pending.delete(message.id);
      resolve(message.result);
    } else if (message.type === 'event') {
      const checked = parsePushedEvent(message.event);
      if (checked.ok) dispatch(checked.event);
      else console.error(`ignored a pushed event outside the contract (${checked.reason})`);
    }
  };

  const scheduleReconnect = (): void => {
    const ceiling = Math.min(maxBackoffMs, initialBackoffMs * 2 ** attempt);
    const delay = Math.round(ceiling / 2 + (random() * ceiling) / 2);
    attempt += 1;
    retryTimer = setTimeout(connect, delay);
  };

  function connect(): void {
    retryTimer = null;
    if (state === 'closed') return;
    let next: SocketLike;
    try {
      next = createSocket(options.url);
    } catch (error) {
      console.error('could not open the WebSocket:', error);
      scheduleReconnect();
      return;
    }
    socket = next;
    next.onopen = () => {
      attempt = 0;
      setState('open');
      for (const entry of [...waiting]) entry.send();
    };
    next.onmessage = (event) => onMessage(event.data);
    next.onerror = () => {
      // A close event always follows; reconnecting is handled there.
    };
    next.onclose = () => {
      if (socket !== next) return;
      socket = null;
      const lost = [...pending.values()];
      pending.clear();
      for (const resolve of lost) {
        resolve({
          ok: false,
          error: unavailable(
            'The connection to LoRA Studio closed before it answered; try again once reconnected.',
          ),
        });
      }
      if (state === 'closed') return;
      if (state === 'open') setState('reconnecting');
      scheduleReconnect();
    };
  }

  const sendNow = (channel: Channel, input: unknown, resolve: (result: Result<unknown>) => void): void => {
    const current = socket;
    if (current === null || current.readyState !== OPEN) {
      resolve({ ok: false, error: unavailable('Not connected to LoRA Studio.') });
      return;
    }
    const id = nextId++;
    const request: WsRequest = { id, channel, input };
    pending.set(id, resolve);
    try {
      current.send(JSON.stringify(request));
    } catch (error) {
      pending.delete(id);
      resolve({ ok: false, error: unavailable(`Could not send ${channel}: ${String(error)}`) });
    }
  };

  const invokeAny = (channel: Channel, input: unknown): Promise<Result<unknown>> =>
    new Promise((resolve) => {
      if (state === 'closed') {
        resolve({ ok: false, error: unavailable('The connection to LoRA Studio was closed.') });
        return;
      }
      if (socket !== null && socket.readyState === OPEN) {
        sendNow(channel, input, resolve);
        return;
      }
      const entry: Waiting = {
        send: () => {
          clearTimeout(timer);
          waiting.delete(entry);
          sendNow(channel, input, resolve);
        },
        fail: (error) => {
          clearTimeout(timer);
          waiting.delete(entry);
          resolve({ ok: false, error });
        },
      };
      const timer = setTimeout(() => {
        entry.fail(
          unavailable(
            `LoRA Studio at ${options.url} did not answer within ${Math.round(connectTimeoutMs / 1000)} s. ` +
              'Is `lora-studio serve` still running?',
          ),
        );
      }, connectTimeoutMs);
      waiting.add(entry);
    });

  connect();

  return {
    kind: 'ws',
    invoke: <C extends Channel>(channel: C, input: ChannelInput<C>) =>
      invokeAny(channel, input) as Promise<Result<ChannelOutput<C>>>,
    on: <E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void) => {
      const set = listeners.get(name) ?? new Set<Listener>();
      listeners.set(name, set);
      const wrapped = listener as Listener;
      set.add(wrapped);
      return () => {
        set.delete(wrapped);
      };
    },
    state: () => state,
    onState: (listener) => {
      stateListeners.add(listener);
      return () => {
        stateListeners.delete(listener);
      };
    },
    close: () => {
      if (retryTimer !== null) clearTimeout(retryTimer);
      setState('closed');
      for (const entry of [...waiting]) entry.fail(unavailable('The connection to LoRA Studio was closed.'));
      const current = socket;
      socket = null;
      for (const resolve of pending.values()) {
        resolve({ ok: false, error: unavailable('The connection to LoRA Studio was closed.') });
      }
      pending.clear();
      current?.close();
    },
  };
}
