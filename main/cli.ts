#!/usr/bin/env node
/**
 * `lora-studio`: the command line shell around the core. Every command takes `--data-dir` and
 * `--json`; with `--json` it prints exactly one JSON value on stdout, and on failure exits non-zero
 * with `{ "error": { "code", "message" } }`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ApiError, Channel, ChannelInput, ChannelOutput, DoctorReport } from '../preload/contract';
import { AppError } from './api/api-error';
import { type Core, createCore } from './core';
import { defaultRendererDir, resolveDataDir } from './paths';
import { startServer } from './server/http-server';
import { SettingsService } from './settings/settings-service';

const USAGE = `Usage: lora-studio <command> [options]

Commands:
  serve [--port N] [--host 127.0.0.1]   Run the app in your browser (prints a URL with a one-time token)
  doctor                                 Check this machine: GPUs, driver, CUDA, disk, Python
  settings list                          Show every setting
  settings get KEY                       Show one setting
  settings set KEY VALUE                 Change a setting (VALUE is JSON or a plain string)
  notifications list [--unread]          Show notifications

Options for every command:
  --data-dir DIR   The data folder (default: $LORA_STUDIO_HOME or ~/.lora-studio)
  --json           Print exactly one JSON value; errors as {"error":{"code","message"}}
  --help           Show this help`;

/** A CLI failure with the exit code it should end with. */
class CliError extends Error {
  constructor(
    readonly error: ApiError,
    readonly exitCode = 1,
  ) {
    super(error.message);
  }
}

const OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  port: { type: 'string' },
  host: { type: 'string' },
  unread: { type: 'boolean', default: false },
} as const;

type Flags = {
  readonly 'data-dir'?: string;
  readonly json: boolean;
  readonly help: boolean;
  readonly port?: string;
  readonly host?: string;
  readonly unread: boolean;
};

function usageError(message: string): CliError {
  return new CliError({ code: 'USAGE', message: `${message}\n\n${USAGE}` }, 2);
}

async function call<C extends Channel>(
  core: Core,
  channel: C,
  input: ChannelInput<C>,
): Promise<ChannelOutput<C>> {
  const result = await core.api.invoke(channel, input);
  if (!result.ok) throw new CliError(result.error);
  return result.value as ChannelOutput<C>;
}

function print(flags: Flags, value: unknown, human: () => string): void {
  process.stdout.write(flags.json ? `${JSON.stringify(value)}\n` : `${human()}\n`);
}

function formatDoctor(report: DoctorReport): string {
  const gb = (v: number | null) => (v === null ? 'unknown' : `${v.toFixed(1)} GB`);
  const lines = [
    `LoRA Studio ${report.app.version} · Node ${report.app.node} · ${report.app.platform}/${report.app.arch}`,
    `Data folder: ${report.dataDir} (${gb(report.disk.freeGb)} free of ${gb(report.disk.totalGb)})`,
    `SQLite:      ${report.sqlite.version}`,
    `CPU:         ${report.cpu.model} (${report.cpu.cores} cores)`,
    `Memory:      ${(report.memory.freeMb / 1024).toFixed(1)} GB free of ${(report.memory.totalMb / 1024).toFixed(1)} GB`,
    report.gpu.gpus.length > 0
      ? `GPUs:        ${report.gpu.gpus.map((g) => `#${g.index} ${g.name}`).join(', ')} · driver ${report.gpu.driverVersion ?? '?'} · CUDA ${report.gpu.cudaVersion ?? '?'}`
      : `GPUs:        none (${report.gpu.message ?? report.gpu.state})`,
    `Python:      ${report.python.path ?? 'not found'}${report.python.version ? ` (${report.python.version})` : ''} [${report.python.source}]`,
  ];
  if (report.problems.length > 0) lines.push('', 'Problems:', ...report.problems.map((p) => `  - ${p}`));
  return lines.join('\n');
}

async function withCore<T>(flags: Flags, fn: (core: Core) => Promise<T>): Promise<T> {
  const core = await createCore({
    dataDir: resolveDataDir(flags['data-dir']),
    shell: 'cli',
    telemetry: false,
  });
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
}

async function serve(flags: Flags): Promise<void> {
  const staticDir = defaultRendererDir();
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new CliError({
      code: 'NOT_BUILT',
      message: `The user interface is not built (${staticDir} is missing). Run \`npm run build\` first, or use \`npm run serve\`.`,
    });
  }
  const port = flags.port === undefined ? 5183 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw usageError(`--port must be 0–65535, got "${flags.port}"`);
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
      `LoRA Studio is running at\n\n  ${server.url}\n\nData folder: ${core.dataDir}\nOn a remote GPU box: ssh -L ${server.port}:127.0.0.1:${server.port} <host>, then open the URL above.\nPress Ctrl+C to stop.\n`,
    );
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await core.close();
}

async function run(argv: ReadonlyArray<string>): Promise<void> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError((error as Error).message);
  }
  const flags = parsed.values as Flags;
  const [command, sub, ...rest] = parsed.positionals;
  if (flags.help || command === undefined || command === 'help') {
    process.stdout.write(flags.json ? `${JSON.stringify({ usage: USAGE })}\n` : `${USAGE}\n`);
    return;
  }

  switch (command) {
    case 'serve':
      return serve(flags);
    case 'doctor':
      return withCore(flags, async (core) => {
        const report = await call(core, 'doctor.run', {});
        print(flags, report, () => formatDoctor(report));
      });
    case 'settings':
      return withCore(flags, async (core) => {
        if (sub === 'list' || sub === undefined) {
          const all = await call(core, 'settings.get', {});
          print(flags, all, () =>
            Object.entries(all)
              .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
              .join('\n'),
          );
        } else if (sub === 'get') {
          const [key] = rest;
          if (!key) throw usageError('settings get needs a KEY');
          const all = await call(core, 'settings.get', {});
          if (!Object.hasOwn(all, key)) {
            throw new CliError({
              code: 'NOT_FOUND',
              message: `Unknown setting "${key}". Known: ${Object.keys(all).join(', ')}.`,
            });
          }
          const value = all[key as keyof typeof all];
          print(flags, value, () => JSON.stringify(value));
        } else if (sub === 'set') {
          const [key, value] = rest;
          if (!key || value === undefined) throw usageError('settings set needs a KEY and a VALUE');
          const patch = SettingsService.parseCliValue(key, value);
          const all = await call(core, 'settings.update', patch);
          const stored = all[key as keyof typeof all];
          print(flags, { key, value: stored }, () => `${key} = ${JSON.stringify(stored)}`);
        } else {
          throw usageError(`Unknown settings command "${sub}"`);
        }
      });
    case 'notifications':
      return withCore(flags, async (core) => {
        if (sub !== 'list' && sub !== undefined) throw usageError(`Unknown notifications command "${sub}"`);
        const list = await call(core, 'notifications.list', { unreadOnly: flags.unread });
        print(flags, list, () =>
          list.length === 0
            ? 'No notifications.'
            : list
                .map((n) => `${n.read ? ' ' : '•'} ${new Date(n.createdAt).toISOString()}  ${n.title}`)
                .join('\n'),
        );
      });
    default:
      throw usageError(`Unknown command "${command}"`);
  }
}

/** Run the CLI and return the process exit code. */
export async function main(argv: ReadonlyArray<string>): Promise<number> {
  const json = argv.includes('--json');
  try {
    await run(argv);
    return 0;
  } catch (error) {
    const cliError =
      error instanceof CliError
        ? error
        : error instanceof AppError
          ? new CliError(error.toApiError())
          : new CliError({
              code: (error as { code?: string }).code ?? 'INTERNAL',
              message: (error as Error).message,
            });
    if (json) process.stdout.write(`${JSON.stringify({ error: cliError.error })}\n`);
    else process.stderr.write(`lora-studio: ${cliError.error.message}\n`);
    return cliError.exitCode;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`lora-studio: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
