import type { z } from 'zod';
import {
  type ApiError,
  type Channel,
  type ChannelOutput,
  type Contract,
  contract,
  type Result,
} from '../../preload/contract';
import { AppError } from '../errors';

/** A handler receives input already validated against the contract. */
export type Handler<C extends Channel> = (
  input: z.output<Contract[C]['input']>,
) => Promise<ChannelOutput<C>> | ChannelOutput<C>;

export type Handlers = { readonly [C in Channel]: Handler<C> };

/** The core's API as every shell sees it: one call, any channel, a Result back. */
export interface ApiRouter {
  invoke(channel: string, input: unknown): Promise<Result<unknown>>;
}

/** Describe zod issues in words a person can act on: "`energy.currency`: expected string". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.length > 0 ? `\`${issue.path.map(String).join('.')}\`: ` : '';
      return `${path}${issue.message}`;
    })
    .join('; ');
}

function isChannel(name: string): name is Channel {
  return Object.hasOwn(contract, name);
}

function fail(error: ApiError): Result<never> {
  return { ok: false, error };
}

/**
 * The `handle()` wrapper for every channel: validates input against the contract, runs the
 * handler, validates its output, and turns every failure into a typed `{ code, message }`.
 */
export function createApiRouter(handlers: Handlers): ApiRouter {
  return {
    async invoke(channel, input) {
      if (typeof channel !== 'string' || !isChannel(channel)) {
        return fail({
          code: 'UNKNOWN_CHANNEL',
          message: `There is no API channel named "${String(channel)}".`,
        });
      }
      const spec = contract[channel];
      const parsedInput = spec.input.safeParse(input ?? {});
      if (!parsedInput.success) {
        return fail({
          code: 'BAD_INPUT',
          message: `Invalid input for ${channel}: ${describeIssues(parsedInput.error)}`,
          details: {
            issues: parsedInput.error.issues
              .slice(0, 20)
              .map((i) => ({ path: i.path.map(String), message: i.message })),
          },
        });
      }
      try {
        const handler = handlers[channel] as Handler<typeof channel>;
        const output = await handler(parsedInput.data as never);
        const parsedOutput = spec.output.safeParse(output);
        if (!parsedOutput.success) {
          console.error(`handler ${channel} returned output outside the contract:`, parsedOutput.error);
          return fail({
            code: 'INTERNAL',
            message: `Internal error in ${channel}: the result did not match the contract.`,
          });
        }
        return { ok: true, value: parsedOutput.data };
      } catch (error) {
        if (error instanceof AppError) return fail(error.toApiError());
        console.error(`handler ${channel} failed:`, error);
        return fail({
          code: 'INTERNAL',
          message: `Internal error in ${channel}: ${(error as Error)?.message ?? String(error)}`,
        });
      }
    },
  };
}
