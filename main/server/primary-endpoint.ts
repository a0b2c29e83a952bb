/**
 * The primary's command socket: how a CLI in another terminal reaches the running app (desktop,
 * serve, or a foreground `jobs create --wait`). The same request/event protocol the browser speaks
 * over WebSocket (WsConnection, the api router), on a loopback port recorded with a fresh secret in
 * `<dataDir>/lora-studio.endpoint.json` (mode 0600) beside the data folder's lock.
 */
import { createServer, type IncomingMessage, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { removeEndpoint, writeEndpoint } from '../core-lock';
import { checkToken, generateToken } from './auth';
import { MAX_WS_MESSAGE_BYTES, WS_PATH } from './http-server';
import { isAllowedHost } from './loopback-policy';
import type { ServerCore } from './server-core';
import { WsConnection } from './ws-connection';

/** A listening command socket; `close()` stops it and removes the endpoint file. */
export interface PrimaryEndpoint {
  readonly port: number;
  close(): Promise<void>;
}

/** Check an upgrade: our Host, no browser Origin (this socket is for local programs), the secret. */
export function admitCommandClient(
  req: Pick<IncomingMessage, 'headers' | 'url'>,
  port: number,
  secret: string,
):
  | { readonly ok: true }
  | { readonly ok: false; readonly status: 401 | 403 | 404; readonly message: string } {
  if (!isAllowedHost(req.headers.host, port)) return { ok: false, status: 403, message: 'Forbidden host.\n' };
  // A web page always sends Origin; a terminal client never does. Refuse every browser outright.
  if (req.headers.origin !== undefined) return { ok: false, status: 403, message: 'Forbidden origin.\n' };
  if ((req.url ?? '') !== WS_PATH) return { ok: false, status: 404, message: 'Not found.\n' };
  const header = req.headers.authorization ?? '';
  const candidate = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : null;
  if (!checkToken(secret, candidate)) return { ok: false, status: 401, message: 'Unauthorized.\n' };
  return { ok: true };
}

/** Listen on 127.0.0.1 (a free port) and record the endpoint beside the lock. */
export async function startPrimaryEndpoint(options: {
  readonly core: ServerCore;
  readonly dataDir: string;
  readonly shell: string;
  /** The browser URL (no token) when this primary is `serve`. */
  readonly url?: string | null;
  readonly log?: (message: string, error?: unknown) => void;
}): Promise<PrimaryEndpoint> {
  const log = options.log ?? ((message: string, error?: unknown) => console.error(message, error ?? ''));
  const secret = generateToken();
  const server = createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
    res.end('This is the LoRA Studio command socket (WebSocket only).\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_WS_MESSAGE_BYTES,
    clientTracking: false,
    perMessageDeflate: false,
  });
  const connections = new Set<WsConnection>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const admitted = admitCommandClient(req, port, secret);
    if (!admitted.ok) {
      socket.end(
        `HTTP/1.1 ${admitted.status} ${STATUS_CODES[admitted.status]}\r\nConnection: close\r\n` +
          `Content-Length: ${Buffer.byteLength(admitted.message)}\r\n\r\n${admitted.message}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = new WsConnection(ws, options.core, log);
      connections.add(connection);
      ws.once('close', () => connections.delete(connection));
    });
  });
  writeEndpoint(options.dataDir, {
    pid: process.pid,
    shell: options.shell,
    port,
    secret,
    url: options.url ?? null,
  });
  let closing: Promise<void> | null = null;
  return {
    port,
    close() {
      closing ??= (async () => {
        removeEndpoint(options.dataDir);
        for (const connection of connections) connection.terminate();
        connections.clear();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}
