/**
 * The primary's command socket: loopback only, the secret from the 0600 endpoint file (checked in
 * constant time), no browser (no Origin), and the serve protocol once admitted.
 */
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectToPrimary } from '../../../main/cli/primary-client';
import { CoreLock, endpointFile, readEndpoint } from '../../../main/core-lock';
import { type PrimaryEndpoint, startPrimaryEndpoint } from '../../../main/server/primary-endpoint';
import { makeTempDir } from '../../helpers/temp-dir';
import { connectWs } from './server-fixture';
import { createTestServerCore, type TestServerCore } from './test-server-core';

describe('the primary endpoint (CLI → running app)', () => {
  const tmp = makeTempDir();
  let lock: CoreLock | null;
  let core: TestServerCore;
  let endpoint: PrimaryEndpoint;

  beforeAll(async () => {
    lock = CoreLock.tryAcquire(tmp.dir, 'test');
    core = createTestServerCore();
    endpoint = await startPrimaryEndpoint({ core, dataDir: tmp.dir, shell: 'test', log: () => {} });
  });
  afterAll(async () => {
    await endpoint.close();
    lock?.release();
    tmp.cleanup();
  });

  it('records pid, port and a fresh secret in a file only its owner can read', () => {
    const file = endpointFile(tmp.dir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const record = JSON.parse(readFileSync(file, 'utf8'));
    expect(record).toMatchObject({ pid: process.pid, port: endpoint.port, shell: 'test' });
    expect(record.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readEndpoint(tmp.dir)).toMatchObject({ port: endpoint.port });
  });

  it('refuses a wrong or missing secret, a browser Origin and a foreign Host', async () => {
    const url = `ws://127.0.0.1:${endpoint.port}/ws`;
    const secret = readEndpoint(tmp.dir)!.secret;
    const wrong = await connectWs(url, { headers: { Authorization: `Bearer ${secret.slice(1)}x` } });
    expect(wrong).toMatchObject({ status: 401 });
    expect(await connectWs(url)).toMatchObject({ status: 401 });
    const browser = await connectWs(url, {
      headers: { Authorization: `Bearer ${secret}`, Origin: `http://127.0.0.1:${endpoint.port}` },
    });
    expect(browser).toMatchObject({ status: 403 });
    const rebinding = await connectWs(url, {
      headers: { Authorization: `Bearer ${secret}`, Host: 'evil.example' },
    });
    expect(rebinding).toMatchObject({ status: 403 });
    expect(core.calls).toEqual([]);
  });

  it('speaks the serve protocol to the CLI client: requests and pushed events', async () => {
    const client = await connectToPrimary(readEndpoint(tmp.dir)!).catch((e) => e as Error);
    // app.info is not a channel of the test core: the client reports its typed error.
    expect(client).toBeInstanceOf(Error);
    expect((client as Error).message).toMatch(/unknown channel app.info/);
    expect(core.calls.at(-1)).toEqual({ channel: 'app.info', input: {} });
  });

  it('ignores an endpoint file that others could read', () => {
    chmodSync(endpointFile(tmp.dir), 0o644);
    try {
      expect(readEndpoint(tmp.dir)).toBeNull();
    } finally {
      chmodSync(endpointFile(tmp.dir), 0o600);
    }
  });

  it('removes its file when it stops', async () => {
    const other = makeTempDir();
    const otherLock = CoreLock.tryAcquire(other.dir, 'test');
    const second = await startPrimaryEndpoint({ core, dataDir: other.dir, shell: 'test', log: () => {} });
    expect(readEndpoint(other.dir)).not.toBeNull();
    await second.close();
    expect(readEndpoint(other.dir)).toBeNull();
    otherLock?.release();
    other.cleanup();
  });
});
