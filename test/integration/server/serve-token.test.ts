import { statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tokenCookieName } from '../../../main/server/auth';
import { SERVE_TOKEN_FILE } from '../../../main/server/serve-token';
import { type RunningCli, startCli } from '../../helpers/run-cli';
import { makeTempDir } from '../../helpers/temp-dir';

/** A port free right now (serve is restarted on the same one: the cookie is per port). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('serve keeps its token across restarts', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let serve: RunningCli | undefined;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(async () => {
    serve?.child.kill('SIGTERM');
    await serve?.exited;
    tmp.cleanup();
  });

  it('a restarted serve accepts the old cookie; --new-token locks it out', async () => {
    const dataDir = join(tmp.dir, 'data');
    const port = await freePort();
    const start = async (...extra: string[]) => {
      serve = startCli(['serve', '--port', String(port), '--json', '--data-dir', dataDir, ...extra]);
      return (JSON.parse(await serve.firstLine()) as { token: string }).token;
    };
    const stop = async () => {
      serve?.child.kill('SIGTERM');
      await serve?.exited;
      serve = undefined;
    };
    const withCookie = (token: string) =>
      fetch(`http://127.0.0.1:${port}/`, { headers: { Cookie: `${tokenCookieName(port)}=${token}` } });

    const first = await start();
    expect((await withCookie(first)).status).toBe(200);
    expect(statSync(join(dataDir, SERVE_TOKEN_FILE)).mode & 0o777).toBe(0o600);
    await stop();

    expect(await start()).toBe(first);
    expect((await withCookie(first)).status).toBe(200);
    await stop();

    const rotated = await start('--new-token');
    expect(rotated).not.toBe(first);
    expect((await withCookie(first)).status).toBeGreaterThanOrEqual(400);
    expect((await withCookie(rotated)).status).toBe(200);
  }, 90_000);
});
