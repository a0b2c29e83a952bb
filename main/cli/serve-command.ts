import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createCore } from '../core';
import { defaultRendererDir, resolveDataDir } from '../paths';
import { startServer } from '../server/http-server';
import { type CliContext, CliError, usageError } from './cli-context';

export const SERVE_USAGE =
  '  serve [--port N] [--host 127.0.0.1]   Run the app in your browser (prints a URL with a token)';

/** `serve`: the browser shell; runs until SIGINT/SIGTERM. */
export async function serveCommand(ctx: CliContext, usage: string): Promise<void> {
  const { flags } = ctx;
  const staticDir = defaultRendererDir();
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new CliError({
      code: 'NOT_BUILT',
      message: `The user interface is not built (${staticDir} is missing). Run \`npm run build\` first, or use \`npm run serve\`.`,
    });
  }
  const port = flags.port === undefined ? 5183 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw usageError(`--port must be 0–65535, got "${flags.port}"`, usage);
  }
  const core = await createCore({
    dataDir: resolveDataDir(flags['data-dir']),
    shell: 'serve',
    telemetry: true,
  });
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({ core, staticDir, port, host: flags.host ?? '127.0.0.1' });
  } catch (error) {
    await core.close();
    throw new CliError({ code: 'SERVE_FAILED', message: (error as Error).message });
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port, token: server.token })}\n`);
  } else {
    process.stdout.write(
      `LoRA Studio is running at\n\n  ${server.url}\n\nData folder: ${core.dataDir}\n` +
        `On a remote GPU box: ssh -L ${server.port}:127.0.0.1:${server.port} <host>, then open the URL above.\n` +
        'Press Ctrl+C to stop.\n',
    );
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.close();
  await core.close();
}
