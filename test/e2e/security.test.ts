import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { useE2eSession } from './e2e-session';
import { openApp, type ServeProcess } from './serve-harness';

/** The auth cookie serve sets when the printed URL (with its token) is opened. */
async function authCookie(server: ServeProcess): Promise<string> {
  const response = await fetch(server.url, { redirect: 'manual' });
  expect(response.status).toBe(303);
  const cookie = response.headers.get('set-cookie');
  expect(cookie).toBeTruthy();
  return cookie!.split(';')[0]!;
}

/** Opens a WebSocket from Node with explicit headers; resolves how the server answered. */
function tryWebSocket(
  url: string,
  headers: Record<string, string>,
): Promise<{ opened: boolean; status: number | null }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => {
      socket.close();
      resolve({ opened: true, status: null });
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve({ opened: false, status: response.statusCode ?? null });
      socket.terminate();
    });
    socket.once('error', () => resolve({ opened: false, status: null }));
  });
}

describe('serve mode security', () => {
  const e2e = useE2eSession();
  let foreign: Server | undefined;

  afterEach(async () => {
    await new Promise<void>((resolve) =>
      foreign === undefined ? resolve() : foreign.close(() => resolve()),
    );
    foreign = undefined;
  });

  it('refuses a wrong token with a 401 page', async () => {
    const server = e2e.server();
    const page = e2e.page();
    const wrong = `${server.origin}/?token=${'x'.repeat(43)}`;
    const response = await page.goto(wrong);
    expect(response?.status()).toBe(401);
    expect(await page.locator('body').textContent()).toContain('Unauthorized');
    expect(await page.getByTestId('app-shell').count()).toBe(0);

    const noToken = await page.goto(`${server.origin}/`);
    expect(noToken?.status()).toBe(401);
  });

  it('refuses a WebSocket from a foreign Origin, even with a valid cookie', async () => {
    const server = e2e.server();
    const cookie = await authCookie(server);
    const wsUrl = `ws://127.0.0.1:${server.port}/ws`;
    expect(await tryWebSocket(wsUrl, { Cookie: cookie, Origin: server.origin })).toEqual({
      opened: true,
      status: null,
    });
    expect(await tryWebSocket(wsUrl, { Cookie: cookie, Origin: 'http://evil.example' })).toEqual({
      opened: false,
      status: 403,
    });
    expect(await tryWebSocket(wsUrl, { Origin: server.origin })).toEqual({ opened: false, status: 401 });
  });

  it('refuses a WebSocket opened by a page on another local port (same site, so the cookie is sent)', async () => {
    const server = e2e.server();
    foreign = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      response.end(`<!doctype html><script>
        const socket = new WebSocket('ws://127.0.0.1:${server.port}/ws');
        socket.onopen = () => { window.verdict = 'opened'; };
        socket.onclose = () => { window.verdict = window.verdict ?? 'refused'; };
      </script>`);
    });
    await new Promise<void>((resolve) => foreign!.listen(0, '127.0.0.1', resolve));
    const foreignPort = (foreign.address() as AddressInfo).port;

    const context = e2e.context();
    const page = e2e.page();
    await page.goto(server.url);
    await page.getByTestId('app-shell').waitFor();
    expect((await context.cookies(server.origin)).map((cookie) => cookie.name)).toContain(
      `lora_studio_token_${server.port}`,
    );

    await page.goto(`http://127.0.0.1:${foreignPort}/`);
    const verdict = await page.waitForFunction('window.verdict');
    expect(await verdict.jsonValue()).toBe('refused');
  });

  it('loads the app with no Content-Security-Policy error in the console (meta and header CSPs both valid)', async () => {
    const page = e2e.page();
    const messages: string[] = [];
    page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
    await openApp(page, e2e.server()); // the shell appears only once app.info came over the WebSocket
    await page.reload();
    await page.getByTestId('app-shell').waitFor();
    expect(messages.filter((m) => /Content Security Policy|Content-Security-Policy/i.test(m))).toEqual([]);
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(meta).toContain("object-src 'none'");
    expect(meta).toContain("base-uri 'none'");
    expect(meta).not.toContain('ws://');
  });
});
