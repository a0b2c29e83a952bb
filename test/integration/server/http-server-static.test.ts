import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../../main/server/http-server';
import {
  APP_JS,
  cookieFor,
  httpRequest,
  INDEX_HTML,
  makeStaticFixture,
  rawRequest,
  SECRET,
} from './server-fixture';
import { createTestServerCore } from './test-server-core';

let fixture: Awaited<ReturnType<typeof makeStaticFixture>>;
let server: RunningServer;
let auth: Record<string, string>;

beforeAll(async () => {
  fixture = await makeStaticFixture();
  server = await startServer({ core: createTestServerCore(), staticDir: fixture.staticDir, log: () => {} });
  auth = cookieFor(server.token, server.port);
});

afterAll(async () => {
  await server.close();
  await fixture.cleanup();
});

describe('static files', () => {
  it('serves assets with their content type and the security headers', async () => {
    const js = await httpRequest(server.port, '/assets/app.js', { headers: auth });
    expect(js.status).toBe(200);
    expect(js.body).toBe(APP_JS);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    expect(js.headers['content-security-policy']).toContain("script-src 'self'");

    const css = await httpRequest(server.port, '/assets/app.css?v=1', { headers: auth });
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('answers HEAD with the headers and no body', async () => {
    const head = await httpRequest(server.port, '/assets/app.js', { method: 'HEAD', headers: auth });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(APP_JS)));
    expect(head.body).toBe('');
  });

  it('serves index.html for app routes without an extension, 404 for a missing asset', async () => {
    for (const path of ['/datasets', '/jobs/abc/metrics', '/assets', '/index.html']) {
      const page = await httpRequest(server.port, path, { headers: auth });
      expect(page.status, path).toBe(200);
      expect(page.body).toBe(INDEX_HTML);
      expect(page.headers['cache-control']).toBe('no-store');
    }
    for (const path of ['/assets/missing.js', '/favicon.ico', '/assets/app.js/x.js']) {
      const missing = await httpRequest(server.port, path, { headers: auth });
      expect(missing.status, path).toBe(404);
    }
  });

  it('answers 426 on /ws without an upgrade', async () => {
    expect((await httpRequest(server.port, '/ws', { headers: auth })).status).toBe(426);
  });

  it('never serves a file outside the static folder, whatever the spelling of the path', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%2fsecret.txt',
      '/..%5csecret.txt',
      '/..\\secret.txt',
      '/%252e%252e%252fsecret.txt',
      '/.%2e/secret.txt',
      '/index.html%00.js',
      '/%00',
      '/assets/app.js%00',
      '/%c0%ae%c0%ae/secret.txt',
      '/%',
      '/assets/link.txt',
      '/.env',
      `/${'../'.repeat(20)}etc/passwd`,
      '/%2fetc%2fpasswd',
      '//etc/passwd',
    ];
    for (const path of attempts) {
      const answer = await httpRequest(server.port, path, { headers: auth });
      expect([400, 404], path).toContain(answer.status);
      expect(answer.body, path).not.toContain(SECRET);
      expect(answer.body, path).not.toContain('root:');
    }
    const traversal = await httpRequest(server.port, '/%2e%2e%2fsecret.txt', { headers: auth });
    expect(traversal.status).toBe(400);
  });

  it('refuses raw NUL bytes and absolute-form request targets', async () => {
    const host = `127.0.0.1:${server.port}`;
    const cookie = `lora_studio_token_${server.port}=${server.token}`;
    const nul = await rawRequest(
      server.port,
      `GET /assets/app.js\0 HTTP/1.1\r\nHost: ${host}\r\nCookie: ${cookie}\r\nConnection: close\r\n\r\n`,
    );
    expect(nul).toMatch(/^HTTP\/1\.1 400/);
    const absolute = await rawRequest(
      server.port,
      `GET http://${host}/../secret.txt HTTP/1.1\r\nHost: ${host}\r\nCookie: ${cookie}\r\nConnection: close\r\n\r\n`,
    );
    expect(absolute).toMatch(/^HTTP\/1\.1 400/);
    expect(absolute).not.toContain(SECRET);
  });
});
