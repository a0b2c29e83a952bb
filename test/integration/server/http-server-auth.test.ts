import { Agent } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../../main/server/http-server';
import { gateRequest } from '../../../main/server/request-gate';
import { contentSecurityPolicy } from '../../../main/server/security-headers';
import { connectWs, cookieFor, httpRequest, INDEX_HTML, makeStaticFixture } from './server-fixture';
import { createTestServerCore, type TestServerCore } from './test-server-core';

let fixture: Awaited<ReturnType<typeof makeStaticFixture>>;
let core: TestServerCore;
let server: RunningServer;

beforeAll(async () => {
  fixture = await makeStaticFixture();
  core = createTestServerCore();
  server = await startServer({ core, staticDir: fixture.staticDir, log: () => {} });
});

afterAll(async () => {
  await server.close();
  await fixture.cleanup();
});

/** Whether a TCP connection to host:port succeeds. */
function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('WEB-bind: serve mode listens on loopback only', () => {
  it('binds 127.0.0.1 by default on a random port and prints a URL with the token', () => {
    expect(server.address).toMatchObject({ address: '127.0.0.1', family: 'IPv4', port: server.port });
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('is not reachable on any non-loopback address of this machine', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((info) => info !== undefined && !info.internal && info.family === 'IPv4')
      .map((info) => info!.address);
    for (const address of external) expect(await canConnect(address, server.port)).toBe(false);
  });

  it('can bind ::1 and prints a bracketed URL', async () => {
    const v6 = await startServer({ core, staticDir: fixture.staticDir, host: '::1', log: () => {} });
    try {
      expect(v6.address).toMatchObject({ address: '::1', family: 'IPv6' });
      expect(v6.url).toBe(`http://[::1]:${v6.port}/?token=${v6.token}`);
    } finally {
      await v6.close();
    }
  });

  it.each(['0.0.0.0', '::', 'localhost', '192.168.1.10', '127.0.0.2', ''])(
    'refuses to bind %j with a clear error',
    async (host) => {
      await expect(startServer({ core, staticDir: fixture.staticDir, host, log: () => {} })).rejects.toThrow(
        /only listens on loopback \(127\.0\.0\.1 or ::1\).*ssh -L/,
      );
    },
  );

  it('refuses a weak token, a bad port and a missing renderer build', async () => {
    await expect(startServer({ core, staticDir: fixture.staticDir, token: 'short' })).rejects.toThrow(
      /token/,
    );
    await expect(startServer({ core, staticDir: fixture.staticDir, port: 70_000 })).rejects.toThrow(/port/);
    await expect(startServer({ core, staticDir: '/nonexistent/renderer' })).rejects.toThrow(/npm run build/);
  });
});

describe('WEB-auth: the token', () => {
  it('moves a valid ?token= into an HttpOnly SameSite=Strict cookie with a redirect, then serves the page', async () => {
    const first = await httpRequest(server.port, `/?token=${server.token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    expect(first.headers['set-cookie']).toEqual([
      `lora_studio_token_${server.port}=${server.token}; HttpOnly; SameSite=Strict; Path=/`,
    ]);

    const cookie = first.headers['set-cookie']![0]!.split(';')[0]!;
    const page = await httpRequest(server.port, '/', { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toBe(INDEX_HTML);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-security-policy']).toBe(contentSecurityPolicy(server.port));
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('keeps the path and other parameters when dropping the token from the URL', async () => {
    const answer = await httpRequest(server.port, `/jobs/abc?tab=logs&token=${server.token}&x=1`);
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/jobs/abc?tab=logs&x=1');
  });

  it('never redirects off-site (//host, /\\host)', async () => {
    for (const path of [`//evil.example/?token=${server.token}`, `/\\evil.example/?token=${server.token}`]) {
      const answer = await httpRequest(server.port, path);
      expect(answer.status).toBe(303);
      expect(answer.headers.location).toBe('/');
    }
  });

  it('sends the exact CSP the renderer needs', () => {
    const port = server.port;
    expect(contentSecurityPolicy(port)).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}; object-src 'none'; ` +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
  });

  it('answers 401 with instructions to a missing, wrong or empty token, and sets no cookie', async () => {
    const wrong = `${server.token.slice(0, -1)}${server.token.endsWith('A') ? 'B' : 'A'}`;
    const cases = [
      {},
      { headers: cookieFor(wrong, server.port) },
      { headers: cookieFor('', server.port) },
      { headers: { Cookie: 'other=1' } },
    ] as const;
    for (const options of cases) {
      const answer = await httpRequest(server.port, '/', options);
      expect(answer.status).toBe(401);
      expect(answer.body).toContain('lora-studio serve');
      expect(answer.headers['set-cookie']).toBeUndefined();
    }
    for (const path of [`/?token=${wrong}`, '/?token=', '/assets/app.js?token=nope']) {
      const answer = await httpRequest(server.port, path, { headers: cookieFor(server.token, server.port) });
      expect(answer.status).toBe(401);
      expect(answer.headers['set-cookie']).toBeUndefined();
    }
  });

  it('refuses a WebSocket upgrade without a valid token (401), accepts one by cookie or by query', async () => {
    const base = `ws://127.0.0.1:${server.port}/ws`;
    expect(await connectWs(base)).toMatchObject({ status: 401 });
    expect(await connectWs(base, { headers: cookieFor('x'.repeat(43), server.port) })).toMatchObject({
      status: 401,
    });
    expect(await connectWs(`${base}?token=${'y'.repeat(43)}`)).toMatchObject({ status: 401 });

    const byCookie = await connectWs(base, { headers: cookieFor(server.token, server.port) });
    const byQuery = await connectWs(`${base}?token=${server.token}`);
    expect('ws' in byCookie && 'ws' in byQuery).toBe(true);
    if ('ws' in byCookie) await byCookie.ws.close();
    if ('ws' in byQuery) await byQuery.ws.close();
  });

  it('refuses 10,000 wrong tokens: 0 accepted (gate, real HTTP over keep-alive, real WebSocket)', async () => {
    const token = server.token;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const wrongTokens: string[] = [];
    // Near misses first: every single-character change, every prefix, extensions, case flips.
    for (let i = 0; i < token.length; i++) {
      const replacement = alphabet[(alphabet.indexOf(token[i]!) + 1) % alphabet.length]!;
      wrongTokens.push(token.slice(0, i) + replacement + token.slice(i + 1));
      wrongTokens.push(token.slice(0, i));
    }
    // (Whitespace around a cookie value is not part of it — RFC 6265 — so padded variants are not 'wrong'.)
    wrongTokens.push(`${token}A`, `A${token}`, `${token}.`, token.toUpperCase(), token.toLowerCase(), '');
    for (let n = 0; wrongTokens.length < 10_000; n++) {
      let candidate = '';
      const length = 1 + (n % 64);
      for (let i = 0; i < length; i++) candidate += alphabet[Math.floor(Math.random() * alphabet.length)];
      if (candidate !== token) wrongTokens.push(candidate);
    }
    const wrong = wrongTokens.filter((candidate) => candidate !== token);
    expect(wrong.length).toBeGreaterThanOrEqual(9_990);

    const host = `127.0.0.1:${server.port}`;
    let accepted = 0;
    for (const candidate of wrong) {
      const byCookie = gateRequest(
        { url: '/', host, origin: undefined, cookie: `lora_studio_token_${server.port}=${candidate}` },
        { port: server.port, token },
        'http',
      );
      const byQuery = gateRequest(
        { url: `/ws?token=${encodeURIComponent(candidate)}`, host, origin: undefined, cookie: undefined },
        { port: server.port, token },
        'upgrade',
      );
      if (byCookie.kind !== 'deny' || byQuery.kind !== 'deny') accepted++;
    }

    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    try {
      const real = wrong.slice(0, 2_000);
      const statuses = new Map<number, number>();
      for (let i = 0; i < real.length; i += 64) {
        const batch = real
          .slice(i, i + 64)
          .map((candidate, j) =>
            (i + j) % 2 === 0
              ? httpRequest(server.port, '/', { agent, headers: cookieFor(candidate, server.port) })
              : httpRequest(server.port, `/?token=${encodeURIComponent(candidate)}`, { agent }),
          );
        for (const answer of await Promise.all(batch)) {
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        }
      }
      expect([...statuses.keys()]).toEqual([401]);
    } finally {
      agent.destroy();
    }

    for (const candidate of wrong.slice(0, 50)) {
      const answer = await connectWs(`ws://127.0.0.1:${server.port}/ws`, {
        headers: cookieFor(candidate, server.port),
      });
      expect(answer).toMatchObject({ status: 401 });
    }
    expect(accepted).toBe(0);
    expect(core.calls).toEqual([]);
  });
});

describe('WEB-auth: Host and Origin', () => {
  const foreignHosts = (port: number) => [
    'evil.example',
    `evil.example:${port}`,
    `127.0.0.1.evil.example:${port}`,
    `127.0.0.1:${port + 1}`,
    'localhost',
    '127.0.0.1',
    `0.0.0.0:${port}`,
  ];
  const foreignOrigins = (port: number) => [
    'http://evil.example',
    'null',
    `http://127.0.0.1:${port + 1}`,
    `https://127.0.0.1:${port}`,
    `http://evil.example:${port}`,
    `http://127.0.0.1:${port}.evil.example`,
  ];

  it('answers a foreign Host header with 403 even with a valid token (DNS rebinding)', async () => {
    for (const host of foreignHosts(server.port)) {
      const answer = await httpRequest(server.port, '/', {
        headers: { Host: host, ...cookieFor(server.token, server.port) },
      });
      expect(answer.status, host).toBe(403);
      expect(answer.body).not.toContain('<html');
    }
  });

  it('accepts each loopback spelling of its own authority', async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `[::1]:${server.port}`]) {
      const answer = await httpRequest(server.port, '/', {
        headers: { Host: host, ...cookieFor(server.token, server.port) },
      });
      expect(answer.status, host).toBe(200);
    }
  });

  it('answers a foreign Origin with 403 on HTTP, and sends no CORS header ever', async () => {
    for (const origin of foreignOrigins(server.port)) {
      const answer = await httpRequest(server.port, '/', {
        headers: { Origin: origin, ...cookieFor(server.token, server.port) },
      });
      expect(answer.status, origin).toBe(403);
      expect(Object.keys(answer.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
    const same = await httpRequest(server.port, '/', {
      headers: { Origin: `http://localhost:${server.port}`, ...cookieFor(server.token, server.port) },
    });
    expect(same.status).toBe(200);
    expect(Object.keys(same.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('refuses a WebSocket upgrade with a foreign Host or Origin (403), even with a valid cookie', async () => {
    const url = `ws://127.0.0.1:${server.port}/ws`;
    for (const host of foreignHosts(server.port)) {
      const answer = await connectWs(url, {
        headers: { Host: host, ...cookieFor(server.token, server.port) },
      });
      expect(answer, host).toMatchObject({ status: 403 });
    }
    for (const origin of foreignOrigins(server.port)) {
      const answer = await connectWs(url, { origin, headers: cookieFor(server.token, server.port) });
      expect(answer, origin).toMatchObject({ status: 403 });
    }
    const same = await connectWs(url, {
      origin: `http://127.0.0.1:${server.port}`,
      headers: cookieFor(server.token, server.port),
    });
    expect('ws' in same).toBe(true);
    if ('ws' in same) await same.ws.close();
  });

  it('refuses a cross-site POST (403) and any non-GET/HEAD method (405), leaving state unchanged', async () => {
    const body = JSON.stringify({ id: 1, channel: 'state.set', input: { value: 'pwned' } });
    const crossSite = await httpRequest(server.port, '/ws', {
      method: 'POST',
      body,
      headers: {
        Origin: 'http://evil.example',
        'Content-Type': 'text/plain',
        ...cookieFor(server.token, server.port),
      },
    });
    expect(crossSite.status).toBe(403);

    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const answer = await httpRequest(server.port, '/', {
        method,
        body,
        headers: cookieFor(server.token, server.port),
      });
      expect(answer.status, method).toBe(405);
      expect(answer.headers.allow).toBe('GET, HEAD');
      expect(Object.keys(answer.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
    const noToken = await httpRequest(server.port, '/', { method: 'POST', body });
    expect(noToken.status).toBe(401);

    expect(core.state.value).toBe('initial');
    expect(core.calls.filter((call) => call.channel === 'state.set')).toEqual([]);
  });
});
