import type { ApiError } from '../../preload/contract';

/**
 * Codes only the CLI's `{"error":{code,message}}` envelope uses, never an API answer: USAGE (bad
 * arguments, exit 2), NOT_BUILT (serve without a built UI), SERVE_FAILED (could not listen),
 * INTERRUPTED (Ctrl-C under `--wait`).
 */
export type CliOnlyCode = 'USAGE' | 'NOT_BUILT' | 'SERVE_FAILED' | 'INTERRUPTED';

/** What the CLI prints for a failure: an API error or one of the CLI's own codes. */
export type CliErrorBody = Omit<ApiError, 'code'> & { readonly code: ApiError['code'] | CliOnlyCode };

/** A CLI failure with the exit code it ends with (2 for usage errors, 130 for Ctrl-C). */
export class CliError extends Error {
  constructor(
    readonly error: CliErrorBody,
    readonly exitCode = 1,
  ) {
    super(error.message);
  }
}

/** A usage error that shows the help text. */
export function usageError(message: string, usage: string): CliError {
  return new CliError({ code: 'USAGE', message: `${message}\n\n${usage}` }, 2);
}

/**
 * End the command with this exit code after it already printed its one result (e.g. the summary of a
 * job that failed under `--wait`): nothing more is printed.
 */
export class CliExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}
