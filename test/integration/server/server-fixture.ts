import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { type Agent, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { WsMessage } from '../../../preload/contract';

/** Marker text of the file that lives next to (outside of) the static folder. */
export const SECRET = 'TOP-SECRET-OUTSIDE-STATIC-DIR';
export const INDEX_HTML =
  '<!doctype html><html><head><title>LoRA Studio</title></head><body></body></html>\n';
export const APP_JS = 'console.log("app");\n';

/** A temp folder holding `static/` (index.html, assets/app.js, assets/app.css, a symlink out) and `secret.txt`. */
export async function makeStaticFixture(): Promise<{ readonly staticDir: string; cleanup(): Promise<void> }> {
  const base = await mkdtemp(join(tmpdir(), 'lora-server-'));
  const staticDir = join(base, 'static');
  await mkdir(join(staticDir, 'assets'), { recursive: true });
  await writeFile(join(staticDir, 'index.html'), INDEX_HTML);
  await writeFile(join(staticDir, 'assets', 'app.js'), APP_JS);
  await writeFile(join(staticDir, 'assets', 'app.css'), 'body{color:red}\n');
  await writeFile(join(staticDir, '.env'), SECRET);
  await writeFile(join(base, 'secret.txt'), SECRET);
  await symlink(join(base, 'secret.txt'), join(staticDir, 'assets', 'link.txt'));
  return { staticDir, cleanup: () => rm(base, { recursive: true, force: true }) };
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** One HTTP request with the path sent exactly as given (no client-side normalisation). */
export function httpRequest(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; agent?: Agent; body?: string } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        // Explicit framing: node sends a DELETE/OPTIONS body without one, which corrupts a keep-alive stream.
        headers:
          options.body === undefined
            ? options.headers
            : { ...options.headers, 'Content-Length': String(Buffer.byteLength(options.body)) },
        agent: options.agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Send raw bytes as a request (for what node's client refuses to send) and return the status line. */
export function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
    });
    socket.on('end', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.write(text, 'latin1');
  });
}

/** Open a WebSocket, or report the HTTP status that refused the upgrade. */
export function connectWs(
  url: string,
  options: WebSocket.ClientOptions = {},
): Promise<{ readonly ws: WebSocketClient } | { readonly status: number; readonly body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.once('open', () => resolve({ ws: new WebSocketClient(ws) }));
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body: '' }));
    });
    ws.once('error', reject);
  });
}

/** A WebSocket whose messages are queued so a test can await the next one that matches. */
export class WebSocketClient {
  private readonly received: WsMessage[] = [];
  private readonly waiters: Array<{ match: (m: WsMessage) => boolean; resolve: (m: WsMessage) => void }> = [];
  readonly closed: Promise<{ readonly code: number }>;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as WsMessage;
      const waiter = this.waiters.find((w) => w.match(message));
      if (waiter === undefined) this.received.push(message);
      else {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    });
    this.closed = new Promise((resolve) => socket.once('close', (code) => resolve({ code })));
  }

  send(value: unknown): void {
    this.socket.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  /** The next message (already received or future) that matches. */
  next(match: (m: WsMessage) => boolean = () => true): Promise<WsMessage> {
    const index = this.received.findIndex(match);
    if (index !== -1) return Promise.resolve(this.received.splice(index, 1)[0]!);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** The result for request `id`. */
  result(id: number): Promise<Extract<WsMessage, { type: 'result' }>> {
    return this.next((m) => m.type === 'result' && m.id === id) as Promise<
      Extract<WsMessage, { type: 'result' }>
    >;
  }

  async close(): Promise<void> {
    this.socket.close();
    await this.closed;
  }
}

/** The cookie header a browser would send after the first visit. */
export function cookieFor(token: string, port: number): Record<string, string> {
  return { Cookie: `lora_studio_token_${port}=${token}` };
}
