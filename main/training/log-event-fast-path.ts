/**
 * A hand-written check of the commonest event line, `log`, run before the zod schema: a busy run
 * writes thousands a second and zod's check of one is most of the ingest cost. It returns exactly
 * what `LogEventSchema` returns for a line it accepts, and null for anything it is not sure of, so
 * the schema still decides (and words) every rejection. test/unit/training/log-event-fast-path.test.ts
 * runs both on the protocol fixtures and on generated bad lines.
 */
import { type LogEvent, LogEventSchema, PROTOCOL_VERSION } from './trainer-events';

/** Every key of the schema but these four is a `num` (a finite number, else null). */
const FIXED = new Set<string>(['v', 'seq', 'type', 'step']);
/** The schema's keys in its order (read on first use: trainer-events.ts imports this module). */
let keys: ReadonlyArray<string> | null = null;

/** `z.number().int().min(0)` in zod 4: a safe integer, not negative. */
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** A parsed `log` line as the schema would return it, or null to let the schema decide. */
export function fastLogEvent(record: Readonly<Record<string, unknown>>): LogEvent | null {
  if (record.type !== 'log' || record.v !== PROTOCOL_VERSION) return null;
  const { seq, step } = record;
  if (!isCount(seq) || !isCount(step)) return null;
  const out: Record<string, unknown> = {};
  keys ??= Object.keys(LogEventSchema.shape);
  for (const key of keys) {
    if (FIXED.has(key)) out[key] = record[key];
    else {
      const v = record[key];
      out[key] = typeof v === 'number' && Number.isFinite(v) ? v : null;
    }
  }
  return out as LogEvent;
}
