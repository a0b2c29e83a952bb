/**
 * `<trainer> doctor`: the trainer's own report of its Python environment (versions, CUDA, GPUs,
 * bitsandbytes / flash-attn), read by preflight. The trainer prints exactly one JSON object on
 * stdout and exits 0 even when the environment cannot train (`ok: false`, `problems`).
 */
import { z } from 'zod';
import { runCommand } from '../telemetry/run-command';

const version = z.string().nullable().default(null);

/** The JSON `lora_trainer doctor` prints; unknown fields are ignored, missing versions are null. */
export const TrainerDoctorSchema = z.object({
  ok: z.boolean(),
  python: version,
  torch: version,
  cuda: version,
  transformers: version,
  peft: version,
  accelerate: version,
  bitsandbytes: version,
  flash_attn: version,
  bf16: z.boolean().default(false),
  gpus: z
    .array(z.object({ index: z.number().int(), name: z.string(), memory_total_mb: z.number() }))
    .default([]),
  problems: z.array(z.string()).default([]),
  /** Limits that do not block training (no GPU, no bitsandbytes…); an extra field of our trainer. */
  warnings: z.array(z.string()).default([]),
});
export type TrainerDoctor = z.infer<typeof TrainerDoctorSchema>;

/** How to call the trainer: `command args… doctor`, e.g. `python3 -m lora_trainer doctor`. */
export interface TrainerCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

/** The report, or why there is none (in words a person can act on). */
export type TrainerDoctorRun =
  | { readonly doctor: TrainerDoctor; readonly problem: null }
  | { readonly doctor: null; readonly problem: string };

/** Importing torch can take 10–20 s on a cold disk; a minute means something is wrong. */
export const DOCTOR_TIMEOUT_MS = 60_000;

/** Run `<trainer> doctor` and parse its report; never throws. */
export async function runTrainerDoctor(
  trainer: TrainerCommand,
  options: { readonly timeoutMs?: number } = {},
): Promise<TrainerDoctorRun> {
  const timeoutMs = options.timeoutMs ?? DOCTOR_TIMEOUT_MS;
  const shown = [trainer.command, ...trainer.args, 'doctor'].join(' ');
  const result = await runCommand(trainer.command, [...trainer.args, 'doctor'], {
    env: trainer.env,
    timeoutMs,
    maxOutputChars: 200_000,
  });
  switch (result.kind) {
    case 'spawn-error':
      return { doctor: null, problem: `Could not start \`${shown}\`: ${result.message}` };
    case 'timeout':
      return {
        doctor: null,
        problem: `\`${shown}\` did not answer within ${Math.round(timeoutMs / 100) / 10} s.`,
      };
    case 'exited': {
      const doctor = parseTrainerDoctor(result.stdout);
      if (doctor) return { doctor, problem: null };
      const tail = lastLine(result.stderr);
      return {
        doctor: null,
        problem:
          `\`${shown}\` exited with ${result.code ?? result.signal} without a report` +
          (tail ? `: ${tail}` : '.'),
      };
    }
  }
}

/** The report in a doctor's stdout (the whole output, or its last JSON line), or null. */
export function parseTrainerDoctor(stdout: string): TrainerDoctor | null {
  const candidates = [stdout, ...stdout.split(/\r?\n/).reverse()]
    .map((s) => s.trim())
    .filter((s) => s.startsWith('{'));
  for (const text of candidates) {
    try {
      const parsed = TrainerDoctorSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
    } catch {
      // not this one
    }
  }
  return null;
}

function lastLine(text: string): string | null {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const last = lines.at(-1)?.trim() ?? null;
  return last && last.length > 300 ? `${last.slice(0, 300)}…` : last;
}
