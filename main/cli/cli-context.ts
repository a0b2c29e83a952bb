import type { Channel, ChannelInput, ChannelOutput } from '../../preload/contract';
import { type CoreOptions, createCore } from '../core';
import { readEndpoint } from '../core-lock';
import { resolveDataDir } from '../paths';
import { CliError, usageError } from './cli-error';
import { type CliCore, connectToPrimary } from './primary-client';

export { CliError, usageError } from './cli-error';
export type { CliCore } from './primary-client';

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
  timeout: { type: 'string' },
  gpus: { type: 'string' },
  seq: { type: 'string' },
  batch: { type: 'string' },
  rank: { type: 'string' },
  qlora: { type: 'boolean', default: false },
  stream: { type: 'string' },
  tail: { type: 'string' },
  'delete-files': { type: 'boolean', default: false },
  ollama: { type: 'boolean', default: false },
  since: { type: 'string' },
  dtype: { type: 'string' },
  to: { type: 'string' },
  target: { type: 'string' },
  nodes: { type: 'string' },
  'gpus-per-node': { type: 'string' },
  time: { type: 'string' },
  partition: { type: 'string' },
  csv: { type: 'boolean', default: false },
  sample: { type: 'boolean', default: false },
  'new-token': { type: 'boolean', default: false },
  apply: { type: 'boolean', default: false },
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
  readonly timeout?: string;
  readonly gpus?: string;
  readonly seq?: string;
  readonly batch?: string;
  readonly rank?: string;
  readonly qlora: boolean;
  readonly stream?: string;
  readonly tail?: string;
  readonly 'delete-files': boolean;
  readonly ollama: boolean;
  readonly since?: string;
  readonly dtype?: string;
  readonly to?: string;
  readonly target?: string;
  readonly nodes?: string;
  readonly 'gpus-per-node'?: string;
  readonly time?: string;
  readonly partition?: string;
  readonly csv: boolean;
  readonly sample: boolean;
  readonly 'new-token': boolean;
  readonly apply: boolean;
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
  /** The data folder the command acts on (not created by resolving it). */
  readonly dataDir: string;
  /**
   * Run `fn` on the data folder's running primary when one is live (its command socket), else on a
   * core of its own (no telemetry, no queue unless `options` say so); then close the connection/core.
   */
  withCore<T>(fn: (core: CliCore) => Promise<T>, options?: Partial<CoreOptions>): Promise<T>;
}

/** Call a channel through the core's API (same validation as every shell); throw its error. */
export async function call<C extends Channel>(
  core: Pick<CliCore, 'api'>,
  channel: C,
  input: ChannelInput<C>,
): Promise<ChannelOutput<C>> {
  const result = await core.api.invoke(channel, input);
  if (!result.ok) throw new CliError(result.error);
  return result.value as ChannelOutput<C>;
}

/** Build the context of one CLI run. */
export function createCliContext(flags: Flags, args: ReadonlyArray<string>): CliContext {
  const dataDir = resolveDataDir(flags['data-dir']);
  return {
    flags,
    args,
    dataDir,
    print(value, human) {
      process.stdout.write(flags.json ? `${JSON.stringify(value)}\n` : `${human()}\n`);
    },
    async withCore(fn, options = {}) {
      const endpoint = readEndpoint(dataDir);
      const core = endpoint !== null ? await connectToPrimary(endpoint) : await openOwnCore(dataDir, options);
      try {
        return await fn(core);
      } finally {
        await core.close();
      }
    },
  };
}

/** A core of this process's own, as a CliCore (no primary was running). */
async function openOwnCore(dataDir: string, options: Partial<CoreOptions>): Promise<CliCore> {
  const core = await createCore({ dataDir, shell: 'cli', telemetry: false, training: false, ...options });
  return {
    api: core.api,
    events: core.events,
    info: core.info,
    remote: null,
    lost: new Promise<void>(() => {}),
    close: () => core.close(),
  };
}
