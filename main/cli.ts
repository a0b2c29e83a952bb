#!/usr/bin/env node
/**
 * `lora-studio`: the command line shell around the core. Every command takes `--data-dir` and
 * `--json`; with `--json` it prints exactly one JSON value on stdout, and on failure exits non-zero
 * with `{ "error": { "code", "message" } }` (exit 2 for usage errors). Commands live in main/cli/.
 */
import { parseArgs } from 'node:util';
import {
  type CliContext,
  CliError,
  createCliContext,
  type Flags,
  OPTIONS,
  usageError,
} from './cli/cli-context';
import { CliExit } from './cli/cli-error';
import { COSTS_USAGE, costsCommand } from './cli/costs-command';
import { DATASETS_USAGE, datasetsCommand } from './cli/datasets-command';
import { DB_USAGE, dbCommand } from './cli/db-command';
import { DOCTOR_USAGE, doctorCommand } from './cli/doctor-command';
import { estimateCommand, JOBS_USAGE, jobsCommand } from './cli/jobs-command';
import { MODELS_USAGE, modelsCommand } from './cli/models-command';
import { NOTIFICATIONS_USAGE, notificationsCommand } from './cli/notifications-command';
import { SERVE_USAGE, serveCommand } from './cli/serve-command';
import { SETTINGS_USAGE, settingsCommand } from './cli/settings-command';
import { SETUP_USAGE, setupCommand } from './cli/setup-command';
import { AppError } from './errors';

const USAGE = `Usage: lora-studio <command> [options]

Commands:
${[SERVE_USAGE, SETUP_USAGE, DOCTOR_USAGE, SETTINGS_USAGE, NOTIFICATIONS_USAGE, DATASETS_USAGE, JOBS_USAGE, MODELS_USAGE, COSTS_USAGE, DB_USAGE].join('\n')}

Options for every command:
  --data-dir DIR   The data folder (default: $LORA_STUDIO_HOME or ~/.lora-studio)
  --json           Print exactly one JSON value; errors as {"error":{"code","message"}}
  --help           Show this help`;

const COMMANDS: Readonly<Record<string, (ctx: CliContext, usage: string) => Promise<void>>> = {
  serve: serveCommand,
  doctor: doctorCommand,
  setup: setupCommand,
  settings: settingsCommand,
  notifications: notificationsCommand,
  datasets: datasetsCommand,
  jobs: jobsCommand,
  models: modelsCommand,
  costs: costsCommand,
  estimate: estimateCommand,
  db: dbCommand,
};

/** A negative number such as -5 or -0.25e3: a value, never an option. */
const NEGATIVE_NUMBER = /^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const NEGATIVE_MARK = '\u0000negative:';

/**
 * parseArgs reads `-5` as an option; here it is a value: glued to a string option before it
 * (`--seq -5` → `--seq=-5`, refused by that option's own check) or kept as a positional word
 * (`settings set energy.pricePerKwh -5` reaches the setting's validation).
 */
function protectNegativeNumbers(argv: ReadonlyArray<string>): string[] {
  const out: string[] = [];
  for (const arg of argv) {
    const previous = out.at(-1);
    const option = previous?.startsWith('--') && !previous.includes('=') ? previous.slice(2) : null;
    if (!NEGATIVE_NUMBER.test(arg)) out.push(arg);
    else if (
      option !== null &&
      Object.hasOwn(OPTIONS, option) &&
      OPTIONS[option as keyof typeof OPTIONS].type === 'string'
    ) {
      out[out.length - 1] = `${previous}=${arg}`;
    } else out.push(`${NEGATIVE_MARK}${arg}`);
  }
  return out;
}

async function run(argv: ReadonlyArray<string>): Promise<void> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({
      args: protectNegativeNumbers(argv),
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw usageError((error as Error).message, USAGE);
  }
  const flags = parsed.values as Flags;
  const positionals = parsed.positionals.map((p) =>
    p.startsWith(NEGATIVE_MARK) ? p.slice(NEGATIVE_MARK.length) : p,
  );
  const [command, ...args] = positionals;
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
    if (error instanceof CliExit) return error.exitCode;
    const cliError =
      error instanceof CliError
        ? error
        : error instanceof AppError
          ? new CliError(error.toApiError())
          : new CliError({ code: 'INTERNAL', message: (error as Error).message });
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
