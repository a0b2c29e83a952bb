/**
 * The trainer's event protocol, version 1 (ARCHITECTURE.md "Training process model"): one JSON
 * object per line of `<run>/events.jsonl`. Unknown fields are ignored and missing optional fields
 * become null. Parsing never throws: a line that breaks the rules comes back as `{ bad: reason }`
 * and is counted by the caller.
 */
import { z } from 'zod';
import { fastLogEvent } from './log-event-fast-path';

export const PROTOCOL_VERSION = 1;

/** A number or null: NaN/Infinity (JSON can't carry them), strings and anything else become null. */
const num = z
  .unknown()
  .optional()
  .transform((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null));
const int = z
  .unknown()
  .optional()
  .transform((v) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null));
const str = z
  .unknown()
  .optional()
  .transform((v) => (typeof v === 'string' ? v : null));
const step = z.number().int().min(0);

const base = {
  v: z.literal(PROTOCOL_VERSION),
  seq: z.number().int().min(0),
  /** Seconds since the epoch. */
  ts: num,
};

export const PhaseEventSchema = z.object({ ...base, type: z.literal('phase'), phase: z.string().max(64) });
export const StartedEventSchema = z.object({
  ...base,
  type: z.literal('started'),
  max_steps: int,
  num_train_samples: int,
  trainable_params: int,
  world_size: int,
  precision: str,
  resumed_from_step: int,
});
export const LogEventSchema = z.object({
  ...base,
  type: z.literal('log'),
  step,
  epoch: num,
  loss: num,
  learning_rate: num,
  grad_norm: num,
  tokens_seen: num,
  tokens_per_s: num,
  eta_s: num,
  gpu_mem_gb: num,
  step_time_s: num,
  /** Preference objectives (DPO, ORPO, KTO): TRL's implicit rewards, absent for SFT. */
  'rewards/chosen': num,
  'rewards/rejected': num,
  'rewards/margins': num,
  'rewards/accuracies': num,
});
export const EvalEventSchema = z.object({
  ...base,
  type: z.literal('eval'),
  step,
  eval_loss: num,
  perplexity: num,
});
export const CheckpointEventSchema = z.object({
  ...base,
  type: z.literal('checkpoint'),
  step,
  path: str,
  reason: str,
});
export const DoneEventSchema = z.object({
  ...base,
  type: z.literal('done'),
  status: z.enum(['completed', 'cancelled']),
  step: int,
  adapter_path: str,
});
export const ErrorEventSchema = z.object({
  ...base,
  type: z.literal('error'),
  message: z
    .unknown()
    .optional()
    .transform((v) => (typeof v === 'string' && v.length > 0 ? v : 'unknown error')),
  traceback: str,
  oom: z
    .unknown()
    .optional()
    .transform((v) => v === true),
});

export const TrainerEventSchema = z.discriminatedUnion('type', [
  PhaseEventSchema,
  StartedEventSchema,
  LogEventSchema,
  EvalEventSchema,
  CheckpointEventSchema,
  DoneEventSchema,
  ErrorEventSchema,
]);
export type TrainerEvent = z.output<typeof TrainerEventSchema>;
export type LogEvent = z.output<typeof LogEventSchema>;
export type DoneEvent = z.output<typeof DoneEventSchema>;
export type ErrorEvent = z.output<typeof ErrorEventSchema>;

/** The metric series a `log` / `eval` event feeds, by protocol key. */
export const LOG_METRICS = [
  'loss',
  'learning_rate',
  'grad_norm',
  'epoch',
  'tokens_seen',
  'tokens_per_s',
  'gpu_mem_gb',
  'step_time_s',
  'rewards/chosen',
  'rewards/rejected',
  'rewards/margins',
  'rewards/accuracies',
] as const;
export const EVAL_METRICS = ['eval_loss', 'perplexity'] as const;

export type ParsedLine =
  | {
      readonly event: TrainerEvent;
      readonly repaired: boolean;
      /** A `log` event whose `loss` was sent but is not a finite number (NaN, ±Infinity, null). */
      readonly nonFiniteLoss: boolean;
    }
  | { readonly bad: string };

/**
 * Replace bare `NaN`, `Infinity` and `-Infinity` tokens outside strings with `null` — what
 * Python's json.dumps writes without allow_nan=False. Returns null when there was none to repair.
 */
export function repairNonFiniteTokens(line: string): string | null {
  let out = '';
  let last = 0;
  let inString = false;
  let repaired = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    const token = line.startsWith('NaN', i)
      ? 'NaN'
      : line.startsWith('Infinity', i)
        ? 'Infinity'
        : line.startsWith('-Infinity', i)
          ? '-Infinity'
          : null;
    if (token) {
      out += `${line.slice(last, i)}null`;
      i += token.length - 1;
      last = i + 1;
      repaired = true;
    }
  }
  return repaired ? out + line.slice(last) : null;
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid event';
  const path = issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  return `${path}${issue.message}`;
}

/** Parse one line of events.jsonl; never throws. */
export function parseEventLine(line: string): ParsedLine {
  try {
    const text = line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
    let json: unknown;
    let repaired = false;
    try {
      json = JSON.parse(text);
    } catch {
      const fixed = repairNonFiniteTokens(text);
      if (fixed === null) return { bad: 'not valid JSON' };
      try {
        json = JSON.parse(fixed);
        repaired = true;
      } catch {
        return { bad: 'not valid JSON' };
      }
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      return { bad: 'not a JSON object' };
    }
    const record = json as Record<string, unknown>;
    if (record.v !== PROTOCOL_VERSION) return { bad: `unsupported protocol version ${String(record.v)}` };
    const fast = fastLogEvent(record);
    const parsed =
      fast !== null ? { success: true as const, data: fast } : TrainerEventSchema.safeParse(record);
    if (!parsed.success) {
      return { bad: `${typeof record.type === 'string' ? record.type : 'event'}: ${describe(parsed.error)}` };
    }
    // The trainer writes a NaN loss as null (allow_nan=False); a bare NaN token is repaired to null.
    const nonFiniteLoss =
      parsed.data.type === 'log' && Object.hasOwn(record, 'loss') && parsed.data.loss === null;
    return { event: parsed.data, repaired, nonFiniteLoss };
  } catch (error) {
    // Deeply nested input can blow the stack inside validation: still just a bad line.
    return { bad: error instanceof Error ? error.message : 'unparseable line' };
  }
}
