import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openCoreOrStartup } from '../backups/startup-core';
import { type Core, createCore } from '../core';
import { CoreLock, readEndpoint } from '../core-lock';
import { defaultRendererDir } from '../paths';
import { startServer } from '../server/http-server';
import { isLoopbackHost } from '../server/loopback-policy';
import { startPrimaryEndpoint } from '../server/primary-endpoint';
import { loadServeToken } from '../server/serve-token';
import { type CliContext, CliError, usageError } from './cli-context';

export const SERVE_USAGE =
  '  serve [--port N] [--host 127.0.0.1] [--new-token]\n                                         Run the app in your browser (prints a URL with a token, kept in the\n                                         data folder across restarts; --new-token replaces it)';

/** Refuse when a live process already runs this data folder, naming it (one primary per folder). */
function refuseSecondPrimary(dataDir: string): void {
  const holder = CoreLock.holder(dataDir);
  if (holder === null || holder.pid === process.pid) return;
  const endpoint = readEndpoint(dataDir);
  if (holder.shell === 'cli' && endpoint === null) {
    // A one-shot command (an import, say) holds the folder for a moment; it is not a running app.
    throw new CliError({
      code: 'CONFLICT',
      message: `A lora-studio command (pid ${holder.pid}) is working on ${dataDir}: start serve again when it has finished.`,
    });
  }
  const where = endpoint?.url ? ` at ${endpoint.url} (open the URL it printed, with its token)` : '';
  throw new CliError({
    code: 'CONFLICT',
    message:
      `LoRA Studio (${holder.shell}, pid ${holder.pid}) is already running on ${dataDir}${where}. ` +
      'Use that one (CLI commands reach it), stop it first, or pick another --data-dir.',
  });
}

/** `serve`: the browser shell; runs until SIGINT/SIGTERM. */
export async function serveCommand(ctx: CliContext, usage: string): Promise<void> {
  const { flags } = ctx;
  // Every argument is checked before the data folder or the database is created.
  const port = flags.port === undefined ? 5183 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw usageError(`--port must be 0–65535, got "${flags.port}"`, usage);
  }
  const host = flags.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    throw usageError(
      `serve only listens on loopback (127.0.0.1 or ::1), not "${host}": anything else would expose your ` +
        'data and GPU to the network. From another machine, forward the port: ssh -L PORT:127.0.0.1:PORT user@host',
      usage,
    );
  }
  const staticDir = defaultRendererDir();
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new CliError({
      code: 'NOT_BUILT',
      message: `The user interface is not built (${staticDir} is missing). Run \`npm run build\` first, or use \`npm run serve\`.`,
    });
  }
  const dataDir = ctx.dataDir;
  refuseSecondPrimary(dataDir);
  const openCore = async (): Promise<Core> => {
    const opened = await createCore({ dataDir, shell: 'serve', telemetry: true });
    if (!opened.info.isPrimary) {
      await opened.close();
      refuseSecondPrimary(dataDir);
      throw new CliError({
        code: 'CONFLICT',
        message: `Another process took ${dataDir} while serve started.`,
      });
    }
    return opened;
  };
  let endpoint: Awaited<ReturnType<typeof startPrimaryEndpoint>> | null = null;
  let server: Awaited<ReturnType<typeof startServer>>;
  const publishEndpoint = async (primary: Core) => {
    endpoint = await startPrimaryEndpoint({
      core: primary,
      dataDir,
      shell: 'serve',
      url: server.url.slice(0, server.url.indexOf('?')),
    });
  };
  // A corrupt database or a failed migration: serve the start-up error screen, which offers the
  // backups to restore, instead of exiting (the same decision as the desktop app's).
  const running = await openCoreOrStartup({
    dataDir,
    shell: 'serve',
    open: openCore,
    onReopened: publishEndpoint,
  });
  if (running.startupError) {
    process.stderr.write(
      `LoRA Studio could not open its database: ${running.startupError.message}\n` +
        'Open the URL below to restore a backup, or stop serve and run `lora-studio db backups` / `lora-studio db restore FILE`.\n',
    );
  }
  try {
    server = await startServer({
      core: running.served,
      staticDir,
      port,
      host,
      token: loadServeToken(dataDir, { rotate: flags['new-token'] }),
    });
    const core = running.current();
    if (core !== null) await publishEndpoint(core);
  } catch (error) {
    await running.close();
    throw new CliError({ code: 'SERVE_FAILED', message: (error as Error).message });
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port, token: server.token })}\n`);
  } else {
    process.stdout.write(
      `LoRA Studio is running at\n\n  ${server.url}\n\nData folder: ${dataDir}\n` +
        `On a remote GPU box: ssh -L ${server.port}:127.0.0.1:${server.port} <host>, then open the URL above.\n` +
        'CLI commands on this data folder now act on this server. Press Ctrl+C to stop.\n',
    );
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await (endpoint as Awaited<ReturnType<typeof startPrimaryEndpoint>> | null)?.close();
  await server.close();
  await running.close();
}
