/**
 * Which program trains: `LORA_STUDIO_TRAINER` (env) over the `trainer.command` setting over the
 * built-in `<python> -m lora_trainer` (with the bundled package on PYTHONPATH). A command string is
 * split into argv here, without a shell: quotes group, nothing is expanded.
 */
import { delimiter } from 'node:path';
import type { Settings } from '../../preload/contract';
import { AppError } from '../errors';
import { resolvePython } from '../telemetry/resolve-python';
import type { TrainerCommand } from './job-supervisor';

/**
 * Split a command line into argv like a POSIX shell would for plain words: whitespace separates,
 * '…' is literal, "…" allows \" and \\ escapes, a backslash outside quotes escapes the next
 * character (on Windows backslashes are path separators and stay as they are). No variables, globs,
 * pipes or redirections: those characters are just characters.
 */
export function splitCommandLine(line: string, platform: NodeJS.Platform = process.platform): string[] {
  const windows = platform === 'win32';
  const args: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote === "'") {
      if (c === "'") quote = null;
      else current += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) current += line[++i];
      else current += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && !windows && i + 1 < line.length) {
      current += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) args.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (quote) throw new AppError('BAD_INPUT', `The trainer command has an unclosed ${quote} quote: ${line}`);
  if (inWord) args.push(current);
  return args;
}

/** A command line as a TrainerCommand. */
export function parseTrainerCommand(
  line: string,
  platform: NodeJS.Platform = process.platform,
): TrainerCommand {
  const [command, ...args] = splitCommandLine(line, platform);
  if (!command) throw new AppError('BAD_INPUT', 'The trainer command is empty.');
  return { command, args };
}

export interface ResolveTrainerCommandInput {
  /** The `trainer.command` setting. */
  readonly setting: string | null;
  readonly env: NodeJS.ProcessEnv;
  /** The Python interpreter for the built-in trainer (from doctor / `python.path`). */
  readonly python: string | null;
  /** The folder holding the bundled `lora_trainer` package (resources/trainer). */
  readonly trainerDir: string;
  /** GPUs of the job: more than one runs the built-in trainer under torch.distributed.run. */
  readonly gpuIndices?: ReadonlyArray<number>;
  readonly platform?: NodeJS.Platform;
}

/** Resolve the trainer command for a job. */
export function resolveTrainerCommand(input: ResolveTrainerCommandInput): TrainerCommand {
  const custom = input.env.LORA_STUDIO_TRAINER?.trim() || input.setting?.trim();
  if (custom) return parseTrainerCommand(custom, input.platform);
  const python = input.python ?? ((input.platform ?? process.platform) === 'win32' ? 'python' : 'python3');
  const pythonPath = [input.trainerDir, input.env.PYTHONPATH].filter(Boolean).join(delimiter);
  const gpus = input.gpuIndices?.length ?? 0;
  const launcher =
    gpus > 1 ? ['-m', 'torch.distributed.run', '--standalone', `--nproc_per_node=${gpus}`] : [];
  return {
    command: python,
    args: [...launcher, '-m', 'lora_trainer'],
    env: { PYTHONPATH: pythonPath },
  };
}

/**
 * The explicit environment of a trainer process: the base env, the command's own additions, the
 * job's GPUs (`CUDA_VISIBLE_DEVICES`; empty means CPU), unbuffered Python output, and the Hub
 * offline unless the user allows downloads.
 */
export function trainerEnv(input: {
  readonly base: NodeJS.ProcessEnv;
  readonly command: TrainerCommand;
  readonly gpuIndices: ReadonlyArray<number>;
  readonly allowDownloads: boolean;
}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...input.base,
    ...input.command.env,
    CUDA_VISIBLE_DEVICES: input.gpuIndices.join(','),
    PYTHONUNBUFFERED: '1',
  };
  if (input.allowDownloads) delete env.HF_HUB_OFFLINE;
  else env.HF_HUB_OFFLINE = '1';
  return env;
}

/** The trainer command as it stands now (setting, env, detected Python), resolved on each call: for the one-off commands (merge, generate, download). */
export function trainerCommandFrom(deps: {
  readonly env: NodeJS.ProcessEnv;
  readonly trainerDir: string;
  readonly settings: () => Readonly<Settings>;
}): () => Promise<TrainerCommand> {
  return async () => {
    const settings = deps.settings();
    const python = await resolvePython({ env: deps.env, setting: settings['python.path'] });
    return resolveTrainerCommand({
      setting: settings['trainer.command'],
      env: deps.env,
      python: python.path,
      trainerDir: deps.trainerDir,
    });
  };
}
