import { realpath, stat } from 'node:fs/promises';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { AppError } from '../errors';
import { generateToken, isValidToken } from './auth';
import { isLoopbackHost, urlHost } from './loopback-policy';
import { type GatePolicy, gateRequest } from './request-gate';
import { securityHeaders } from './security-headers';
import { type StaticSite, sendText, serveStatic } from './serve-static';
import type { ServerCore } from './server-core';
import { WsConnection } from './ws-connection';

/** The path the renderer's WebSocket client connects to. */
export const WS_PATH = '/ws';

/** Largest WebSocket message accepted; a bigger one closes the connection (1009). */
export const MAX_WS_MESSAGE_BYTES = 16 * 1024 * 1024;

/** How `lora-studio serve` (and the e2e tests) start the browser shell. */
export interface StartServerOptions {
  readonly core: ServerCore;
  /** The built renderer (out/renderer): index.html and its assets. */
  readonly staticDir: string;
  /** Loopback only: '127.0.0.1' (default) or '::1'; anything else is refused. */
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Access token; default: 256 random bits, base64url. At least 32 characters of [A-Za-z0-9_-]. */
  readonly token?: string;
  /** WebSocket ping interval; a client that misses a whole interval is dropped. Default 30 s. */
  readonly keepAliveMs?: number;
  /** Where server-side problems are reported; default console.error. */
  readonly log?: (message: string, error?: unknown) => void;
}

/** A listening browser shell. */
export interface RunningServer {
  /** The URL to open, token included: http://127.0.0.1:PORT/?token=TOKEN */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** What the listening socket is bound to (always a loopback address). */
  readonly address: Readonly<AddressInfo>;
  /** Drop every connection and stop listening; resolves when all is closed. Idempotent. */
  close(): Promise<void>;
}

/** Serve the renderer and the WebSocket API on loopback, behind a token, Host and Origin checks. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    throw new AppError(
      'BAD_INPUT',
      `serve mode only listens on loopback (127.0.0.1 or ::1), not "${host}": anything else would expose ` +
        'your data and GPU to the network. To use it from another machine, forward the port over SSH: ' +
        'ssh -L PORT:127.0.0.1:PORT user@this-machine',
    );
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new AppError('BAD_INPUT', `port must be an integer from 0 to 65535, got ${port}`);
  }
  const token = options.token ?? generateToken();
  if (!isValidToken(token)) {
    throw new AppError('BAD_INPUT', 'the token must be at least 32 characters of A-Z, a-z, 0-9, "_" or "-"');
  }
  const keepAliveMs = options.keepAliveMs ?? 30_000;
  if (!(keepAliveMs > 0)) throw new AppError('BAD_INPUT', `keepAliveMs must be positive, got ${keepAliveMs}`);
  const log = options.log ?? defaultLog;
  const root = await staticRoot(options.staticDir);

  const server = createServer();
  await listen(server, host, port);
  server.on('error', (error) => log('serve: server error', error));
  const address = server.address() as AddressInfo;
  const boundPort = address.port;
  const policy: GatePolicy = { port: boundPort, token };
  const site: StaticSite = { root, headers: securityHeaders(boundPort), log };

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_WS_MESSAGE_BYTES,
    clientTracking: false,
    perMessageDeflate: false,
  });
  const connections = new Set<WsConnection>();
  let closing: Promise<void> | null = null;

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handleRequest(req, res, policy, site).catch((error: unknown) => {
      log('serve: request failed', error);
      if (!res.headersSent) sendText(res, site, 500, 'Internal error.\n');
      else res.destroy();
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (closing !== null) return rejectUpgrade(socket, 503, 'The server is shutting down.\n');
    const decision = gateRequest(requestParts(req), policy, 'upgrade');
    if (decision.kind === 'deny') return rejectUpgrade(socket, decision.status, decision.message);
    if (pathOf(req.url) !== WS_PATH) return rejectUpgrade(socket, 404, 'Not found.\n');
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (closing !== null) {
        ws.terminate();
        return;
      }
      const connection = new WsConnection(ws, options.core, log);
      connections.add(connection);
      ws.once('close', () => connections.delete(connection));
    });
  });

  const heartbeat = setInterval(() => {
    for (const connection of connections) connection.heartbeat();
  }, keepAliveMs);
  heartbeat.unref();

  const shutdown = async (): Promise<void> => {
    clearInterval(heartbeat);
    for (const connection of connections) connection.terminate();
    connections.clear();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await new Promise<void>((resolve, reject) => {
      server.close((error) => (error === undefined ? resolve() : reject(error)));
      server.closeAllConnections();
    });
  };

  return {
    url: `http://${urlHost(host)}:${boundPort}/?token=${encodeURIComponent(token)}`,
    port: boundPort,
    token,
    address: { ...address },
    close: () => {
      closing ??= shutdown();
      return closing;
    },
  };
}

async function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  policy: GatePolicy,
  site: StaticSite,
): Promise<void> {
  const decision = gateRequest(requestParts(req), policy, 'http');
  if (decision.kind === 'deny') return sendText(res, site, decision.status, decision.message);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return sendText(
      res,
      site,
      405,
      'Method not allowed: this server only serves files; the API is on the WebSocket.\n',
    );
  }
  if (decision.kind === 'redirect') {
    res.writeHead(303, {
      ...site.headers,
      Location: decision.location,
      'Set-Cookie': decision.setCookie,
      'Cache-Control': 'no-store',
      'Content-Length': '0',
    });
    res.end();
    return;
  }
  if (pathOf(req.url) === WS_PATH)
    return sendText(res, site, 426, 'Upgrade required: this is the WebSocket endpoint.\n');
  await serveStatic(req, res, site);
}

function requestParts(req: IncomingMessage) {
  return {
    url: req.url ?? '/',
    host: req.headers.host,
    origin: req.headers.origin,
    cookie: req.headers.cookie,
  };
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const queryAt = raw.indexOf('?');
  return queryAt === -1 ? raw : raw.slice(0, queryAt);
}

/** Answer a refused WebSocket upgrade with a plain HTTP error and hang up. */
function rejectUpgrade(socket: Duplex, status: number, body: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      'X-Content-Type-Options: nosniff\r\n' +
      'Cache-Control: no-store\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** The real path of the built renderer, or a clear error when it is not there. */
async function staticRoot(staticDir: string): Promise<string> {
  try {
    const root = await realpath(staticDir);
    if ((await stat(join(root, 'index.html'))).isFile()) return root;
  } catch {
    // fall through to the explanation below
  }
  throw new AppError(
    'NOT_FOUND',
    `the renderer is not built: ${join(staticDir, 'index.html')} is missing (run \`npm run build\`)`,
  );
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function defaultLog(message: string, error?: unknown): void {
  if (error === undefined) console.error(message);
  else console.error(message, error);
}
