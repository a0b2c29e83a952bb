import { Agent } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_WS_MESSAGE_BYTES, type RunningServer, startServer } from '../../../main/server/http-server';
import { connectWs, cookieFor, httpRequest, makeStaticFixture, type WebSocketClient } from './server-fixture';
import { createTestServerCore, type TestServerCore } from './test-server-core';

let fixture: Awaited<ReturnType<typeof makeStaticFixture>>;
let core: TestServerCore;
let server: RunningServer;
const logged: string[] = [];

beforeEach(async () => {
  fixture = await makeStaticFixture();
  core = createTestServerCore();
  logged.length = 0;
  server = await startServer({
    core,
    staticDir: fixture.staticDir,
    keepAliveMs: 100,
    log: (message) => logged.push(message),
  });
});

afterEach(async () => {
  await server.close();
  await fixture.cleanup();
});

async function open(options: WebSocket.ClientOptions = {}): Promise<WebSocketClient> {
  const answer = await connectWs(`ws://127.0.0.1:${server.port}/ws`, {
    origin: `http://127.0.0.1:${server.port}`,
    headers: cookieFor(server.token, server.port),
    ...options,
  });
  if (!('ws' in answer)) throw new Error(`upgrade refused: ${answer.status}`);
  return answer.ws;
}

describe('WebSocket API', () => {
  it('answers a request with the core result under the same id', async () => {
    const client = await open();
    client.send({ id: 7, channel: 'echo', input: { hello: 'world', n: [1, 2] } });
    expect(await client.result(7)).toEqual({
      type: 'result',
      id: 7,
      result: { ok: true, value: { hello: 'world', n: [1, 2] } },
    });
    client.send({ id: 8, channel: 'nope', input: {} });
    expect((await client.result(8)).result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    await client.close();
  });

  it('answers many concurrent requests, each under its own id', async () => {
    const client = await open();
    const ids = Array.from({ length: 200 }, (_, i) => i + 1);
    for (const id of ids) client.send({ id, channel: 'echo', input: id });
    const results = await Promise.all(ids.map((id) => client.result(id)));
    expect(results.map((r) => (r.result.ok ? r.result.value : null))).toEqual(ids);
    await client.close();
  });

  it('answers malformed messages with BAD_INPUT and keeps the connection usable', async () => {
    const client = await open();
    client.send('{not json');
    const notJson = await client.result(-1);
    expect(notJson.result).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(notJson.result.ok ? '' : notJson.result.error.message).toMatch(/not valid JSON/);

    client.send({ id: 5, channel: 42 });
    const badShape = await client.result(5);
    expect(badShape.result).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(badShape.result.ok ? '' : badShape.result.error.message).toContain('`channel`');

    for (const bad of ['[]', 'null', '"x"', '{"id":1.5,"channel":"echo"}', '{"__proto__":{"id":3}}']) {
      client.send(bad);
      expect((await client.result(-1)).result, bad).toMatchObject({
        ok: false,
        error: { code: 'BAD_INPUT' },
      });
    }
    client.socket.send(Buffer.from([0xff, 0xfe, 0x00]), { binary: true });
    expect((await client.result(-1)).result).toMatchObject({ ok: false, error: { message: /UTF-8/ } });

    client.send({ id: 6, channel: 'echo', input: 'still here' });
    expect((await client.result(6)).result).toEqual({ ok: true, value: 'still here' });
    expect(({} as Record<string, unknown>).id).toBeUndefined(); // no prototype pollution
    expect(core.calls.map((call) => call.channel)).toEqual(['echo']);
    await client.close();
  });

  it('turns a throwing core into INTERNAL without leaking the error', async () => {
    const client = await open();
    client.send({ id: 1, channel: 'boom', input: null });
    const answer = await client.result(1);
    expect(answer.result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(answer)).not.toContain('secret stack detail');
    await client.close();
  });

  it('forwards pushed events to every client and unsubscribes when a client leaves', async () => {
    const a = await open();
    const b = await open();
    expect(core.listenerCount()).toBe(2);
    const event = { name: 'changed', payload: { entity: 'jobs', id: 'job-1' } } as const;
    core.emit(event);
    expect(await a.next((m) => m.type === 'event')).toEqual({ type: 'event', event });
    expect(await b.next((m) => m.type === 'event')).toEqual({ type: 'event', event });

    await a.close();
    await expect.poll(() => core.listenerCount()).toBe(1);
    core.emit({ name: 'changed', payload: { entity: 'settings', id: null } });
    expect(await b.next((m) => m.type === 'event')).toMatchObject({
      event: { payload: { entity: 'settings' } },
    });
    await b.close();
    await expect.poll(() => core.listenerCount()).toBe(0);
  });

  it('drops a pushed event outside the contract before it is sent; the next valid one arrives', async () => {
    const client = await open();
    core.emit({ name: 'changed', payload: { entity: 'nonsense', id: 7 } } as never);
    core.emit({ name: 'no.such.event', payload: {} } as never);
    const valid = { name: 'changed', payload: { entity: 'datasets', id: null } } as const;
    core.emit(valid);
    // Messages arrive in order: had an invalid one been sent, it would be the first event seen.
    expect(await client.next((m) => m.type === 'event')).toEqual({ type: 'event', event: valid });
    await client.close();
  });

  it('closes a connection that sends a message over the size limit (1009), others keep working', async () => {
    const big = await open();
    const other = await open();
    big.socket.send(Buffer.alloc(MAX_WS_MESSAGE_BYTES + 1, 0x20));
    expect((await big.closed).code).toBe(1009);
    other.send({ id: 1, channel: 'echo', input: 1 });
    expect((await other.result(1)).result).toEqual({ ok: true, value: 1 });
    await other.close();
  });

  it('pings clients and drops one that never answers', async () => {
    const polite = await open();
    const pinged = new Promise<void>((resolve) => polite.socket.once('ping', () => resolve()));
    const silent = await open({ autoPong: false });
    await pinged;
    expect((await silent.closed).code).toBe(1006);
    expect(polite.socket.readyState).toBe(WebSocket.OPEN);
    await expect.poll(() => core.listenerCount()).toBe(1);
    await polite.close();
  });

  it('refuses upgrades on any path but /ws', async () => {
    const answer = await connectWs(`ws://127.0.0.1:${server.port}/other`, {
      headers: cookieFor(server.token, server.port),
    });
    expect(answer).toMatchObject({ status: 404 });
  });
});

describe('close()', () => {
  const tcpHandles = () =>
    process.getActiveResourcesInfo().filter((name) => name === 'TCPServerWrap' || name === 'TCPSocketWrap')
      .length;

  it('terminates sockets, stops listening, unsubscribes and leaves no open handles', async () => {
    await server.close();
    const before = tcpHandles();
    const staticDir = fixture.staticDir;
    server = await startServer({ core, staticDir, keepAliveMs: 100, log: () => {} });

    const clients = [await open(), await open()];
    const agent = new Agent({ keepAlive: true });
    expect(
      (await httpRequest(server.port, '/', { agent, headers: cookieFor(server.token, server.port) })).status,
    ).toBe(200);
    clients[0]!.send({ id: 1, channel: 'echo', input: 1 });
    await clients[0]!.result(1);
    expect(core.listenerCount()).toBe(2);

    await server.close();
    await server.close(); // idempotent
    for (const client of clients) expect((await client.closed).code).toBe(1006);
    expect(core.listenerCount()).toBe(0);
    await expect(
      httpRequest(server.port, '/', { headers: cookieFor(server.token, server.port) }),
    ).rejects.toThrow(/ECONNREFUSED/);
    agent.destroy();
    await expect.poll(tcpHandles).toBe(before);
  });
});
