import type { ApiError, Channel, ChannelInput, ChannelOutput } from '../../preload/contract';
import { type Core, type CoreOptions, createCore } from '../core';
import { resolveDataDir } from '../paths';

/** A CLI failure with the exit code it ends with (2 for usage errors). */
export class CliError extends Error {
  constructor(
    readonly error: ApiError,
    readonly exitCode = 1,
  ) {
    super(error.message);
  }
}

/** Every option of every command (node:util parseArgs, strict). */
export const OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  port: { type: 'string' },
  host: { type: 'string' },
  unread: { type: 'boolean', default: false },
  name: { type: 'string' },
  format: { type: 'string' },
  shape: { type: 'string' },
  out: { type: 'string' },
  note: { type: 'string' },
  dataset: { type: 'string' },
  model: { type: 'string' },
  preset: { type: 'string' },
  method: { type: 'string' },
  set: { type: 'string', multiple: true },
  wait: { type: 'boolean', default: false },
  gpus: { type: 'string' },
  seq: { type: 'string' },
  batch: { type: 'string' },
  rank: { type: 'string' },
  qlora: { type: 'boolean', default: false },
  stream: { type: 'string' },
  tail: { type: 'string' },
} as const;

export interface Flags {
  readonly 'data-dir'?: string;
  readonly json: boolean;
  readonly help: boolean;
  readonly port?: string;
  readonly host?: string;
  readonly unread: boolean;
  readonly name?: string;
  readonly format?: string;
  readonly shape?: string;
  readonly out?: string;
  readonly note?: string;
  readonly dataset?: string;
  readonly model?: string;
  readonly preset?: string;
  readonly method?: string;
  readonly set?: ReadonlyArray<string>;
  readonly wait: boolean;
  readonly gpus?: string;
  readonly seq?: string;
  readonly batch?: string;
  readonly rank?: string;
  readonly qlora: boolean;
  readonly stream?: string;
  readonly tail?: string;
}

/** A positive integer option, or a usage error naming it. */
export function intFlag(name: string, raw: string | undefined, usage: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw usageError(`--${name} must be a whole number, got "${raw}"`, usage);
  return n;
}

/** What a command gets: its flags, its positional words (after the command name) and helpers. */
export interface CliContext {
  readonly flags: Flags;
  readonly args: ReadonlyArray<string>;
  /** Print a value: as one JSON line with --json, else as the human text. */
  print(value: unknown, human: () => string): void;
  /** Run `fn` on a core opened on the data folder (no telemetry, no queue), then close it. */
  withCore<T>(fn: (core: Core) => Promise<T>, options?: Partial<CoreOptions>): Promise<T>;
}

/** A usage error that shows the help text. */
export function usageError(message: string, usage: string): CliError {
  return new CliError({ code: 'USAGE', message: `${message}\n\n${usage}` }, 2);
}

/** Call a channel through the core's API (same validation as every shell); throw its error. */
export async function call<C extends Channel>(
  core: Core,
  channel: C,
  input: ChannelInput<C>,
): Promise<ChannelOutput<C>> {
  const result = await core.api.invoke(channel, input);
  if (!result.ok) throw new CliError(result.error);
  return result.value as ChannelOutput<C>;
}

/** Build the context of one CLI run. */
export function createCliContext(flags: Flags, args: ReadonlyArray<string>): CliContext {
  return {
    flags,
    args,
    print(value, human) {
      process.stdout.write(flags.json ? `${JSON.stringify(value)}\n` : `${human()}\n`);
    },
    async withCore(fn, options = {}) {
      const core = await createCore({
        dataDir: resolveDataDir(flags['data-dir']),
        shell: 'cli',
        telemetry: false,
        training: false,
        ...options,
      });
      try {
        return await fn(core);
      } finally {
        await core.close();
      }
    },
  };
}
