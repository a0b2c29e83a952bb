import { WebSocket } from 'ws';
import { parsePushedEvent, type Result, type WsMessage } from '../../preload/contract';
import { parseWsRequest } from './parse-ws-request';
import type { ServerCore } from './server-core';

/** A client that lets this much pile up unsent is stuck or hostile; drop it rather than grow memory. */
export const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

/** One browser connection: answers requests, forwards core events, and proves it is alive. */
export class WsConnection {
  private alive = true;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly socket: WebSocket,
    private readonly core: ServerCore,
    private readonly log: (message: string, error?: unknown) => void,
  ) {
    this.unsubscribe = core.events.subscribe((event) => {
      // Events are checked against the contract before they leave, as results are by the router.
      const checked = parsePushedEvent(event);
      if (checked.ok) this.send({ type: 'event', event: checked.event });
      else log(`serve: dropped a pushed event outside the contract (${checked.reason})`);
    });
    socket.on('pong', () => {
      this.alive = true;
    });
    socket.on('message', (data) => {
      void this.answer(data);
    });
    socket.on('error', (error) => log('serve: WebSocket error', error));
    socket.once('close', () => this.unsubscribe());
  }

  /** Called on every keep-alive tick: a client that missed the previous ping is gone. */
  heartbeat(): void {
    if (!this.alive) {
      this.socket.terminate();
      return;
    }
    this.alive = false;
    if (this.socket.readyState === WebSocket.OPEN) this.socket.ping();
  }

  /** Drop the connection at once (server shutdown). */
  terminate(): void {
    this.unsubscribe();
    this.socket.terminate();
  }

  private async answer(data: Parameters<typeof parseWsRequest>[0]): Promise<void> {
    const parsed = parseWsRequest(data);
    if (!parsed.ok) {
      this.send({
        type: 'result',
        id: parsed.id,
        result: { ok: false, error: { code: 'BAD_INPUT', message: parsed.message } },
      });
      return;
    }
    const { id, channel, input } = parsed.request;
    let result: Result<unknown>;
    try {
      result = await this.core.api.invoke(channel, input);
    } catch (error) {
      // The core should answer errors as values; if it throws anyway, never leak the stack.
      this.log(`serve: ${channel} threw`, error);
      result = { ok: false, error: { code: 'INTERNAL', message: `${channel} failed unexpectedly` } };
    }
    this.send({ type: 'result', id, result });
  }

  private send(message: WsMessage): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.log('serve: client is not reading its messages; closing the connection');
      this.terminate();
      return;
    }
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch (error) {
      this.log('serve: a message could not be serialised', error);
      if (message.type !== 'result') return;
      const failed: WsMessage = {
        type: 'result',
        id: message.id,
        result: { ok: false, error: { code: 'INTERNAL', message: 'the result could not be serialised' } },
      };
      text = JSON.stringify(failed);
    }
    this.socket.send(text);
  }
}
