#!/usr/bin/env node
/**
 * `lora-studio`: the command line shell around the core. Every command takes `--data-dir` and
 * `--json`; with `--json` it prints exactly one JSON value on stdout, and on failure exits non-zero
 * with `{ "error": { "code", "message" } }` (exit 2 for usage errors). Commands live in main/cli/.
 */
import { parseArgs } from 'node:util';
import { AppError } from './api/api-error';
import {
  type CliContext,
  CliError,
  createCliContext,
  type Flags,
  OPTIONS,
  usageError,
} from './cli/cli-context';
import { COSTS_USAGE, costsCommand } from './cli/costs-command';
import { DATASETS_USAGE, datasetsCommand } from './cli/datasets-command';
import { DOCTOR_USAGE, doctorCommand } from './cli/doctor-command';
import { estimateCommand, JOBS_USAGE, jobsCommand } from './cli/jobs-command';
import { MODELS_USAGE, modelsCommand } from './cli/models-command';
import { NOTIFICATIONS_USAGE, notificationsCommand } from './cli/notifications-command';
import { SERVE_USAGE, serveCommand } from './cli/serve-command';
import { SETTINGS_USAGE, settingsCommand } from './cli/settings-command';

const USAGE = `Usage: lora-studio <command> [options]

Commands:
${[SERVE_USAGE, DOCTOR_USAGE, SETTINGS_USAGE, NOTIFICATIONS_USAGE, DATASETS_USAGE, JOBS_USAGE, MODELS_USAGE, COSTS_USAGE].join('\n')}

Options for every command:
  --data-dir DIR   The data folder (default: $LORA_STUDIO_HOME or ~/.lora-studio)
  --json           Print exactly one JSON value; errors as {"error":{"code","message"}}
  --help           Show this help`;

const COMMANDS: Readonly<Record<string, (ctx: CliContext, usage: string) => Promise<void>>> = {
  serve: serveCommand,
  doctor: doctorCommand,
  settings: settingsCommand,
  notifications: notificationsCommand,
  datasets: datasetsCommand,
  jobs: jobsCommand,
  models: modelsCommand,
  costs: costsCommand,
  estimate: estimateCommand,
};

async function run(argv: ReadonlyArray<string>): Promise<void> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError((error as Error).message, USAGE);
  }
  const flags = parsed.values as Flags;
  const [command, ...args] = parsed.positionals;
  if (flags.help || command === undefined || command === 'help') {
    process.stdout.write(flags.json ? `${JSON.stringify({ usage: USAGE })}\n` : `${USAGE}\n`);
    return;
  }
  const handler = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!handler) throw usageError(`Unknown command "${command}"`, USAGE);
  await handler(createCliContext(flags, args), USAGE);
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
