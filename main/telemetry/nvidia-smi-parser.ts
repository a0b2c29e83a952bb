import type { GpuSample, GpuStatus } from '../../preload/contract';

/** The `--query-gpu` fields, in the order every parser here expects them. */
export const QUERY_FIELDS = [
  'index',
  'name',
  'uuid',
  'utilization.gpu',
  'memory.used',
  'memory.total',
  'temperature.gpu',
  'power.draw',
  'power.limit',
  'clocks.sm',
  'clocks.mem',
  'fan.speed',
] as const;

/** Fields after `name`; counted from the end of a line, since nvidia-smi never quotes a name with commas. */
const FIELDS_AFTER_NAME = QUERY_FIELDS.length - 2;

/** The arguments for one CSV query of every GPU, repeated every `loopMs` milliseconds when given. */
export function buildGpuQueryArgs(loopMs?: number): string[] {
  const args = [`--query-gpu=${QUERY_FIELDS.join(',')}`, '--format=csv,noheader,nounits'];
  return loopMs === undefined ? args : [...args, '-lms', String(loopMs)];
}

/** A field value nvidia-smi prints instead of a number: `[N/A]`, `N/A`, `[Not Supported]`, `[Unknown Error]`… */
export function isUnavailable(value: string): boolean {
  const v = value.trim();
  return v === '' || v === 'N/A' || (v.startsWith('[') && v.endsWith(']'));
}

/** A numeric field, or null when the driver reports it unavailable (or it is not a number at all). */
export function parseNumericField(value: string): number | null {
  if (isUnavailable(value)) return null;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : null;
}

/** One `--format=csv,noheader,nounits` line of QUERY_FIELDS as a sample, or null when it is not one. */
export function parseGpuLine(line: string): GpuSample | null {
  const parts = line.split(',');
  if (parts.length < QUERY_FIELDS.length) return null;
  const tail = parts.slice(parts.length - FIELDS_AFTER_NAME).map((p) => p.trim());
  const indexText = (parts[0] ?? '').trim();
  if (!/^\d+$/.test(indexText)) return null;
  const name = parts
    .slice(1, parts.length - FIELDS_AFTER_NAME)
    .join(',')
    .trim();
  const [uuid = '', ...numbers] = tail;
  if (name === '' || uuid === '' || isUnavailable(uuid)) return null;
  const [utilization, memUsed, memTotal, temperature, powerDraw, powerLimit, smClock, memClock, fan] =
    numbers.map((n) => parseNumericField(n));
  return {
    index: Number(indexText),
    name,
    uuid,
    utilizationPct: utilization ?? null,
    memoryUsedMb: memUsed ?? null,
    memoryTotalMb: memTotal ?? null,
    temperatureC: temperature ?? null,
    powerDrawW: powerDraw ?? null,
    powerLimitW: powerLimit ?? null,
    smClockMhz: smClock ?? null,
    memClockMhz: memClock ?? null,
    fanPct: fan ?? null,
  };
}

/** Every GPU line of a query's stdout; blank lines are skipped, anything else that is not a GPU line is counted and kept. */
export function parseGpuCsv(text: string): { gpus: GpuSample[]; ignored: number; ignoredLines: string[] } {
  const gpus: GpuSample[] = [];
  const ignoredLines: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    const sample = parseGpuLine(line);
    if (sample) gpus.push(sample);
    else ignoredLines.push(line);
  }
  return { gpus, ignored: ignoredLines.length, ignoredLines };
}

const VERSION = '([0-9][0-9A-Za-z.\\-]*)';

/** The driver version from `--query-gpu=driver_version --format=csv,noheader` (one line per GPU), or null. */
export function parseDriverVersion(csvText: string): string | null {
  for (const raw of csvText.split(/\r?\n/)) {
    const match = new RegExp(`^${VERSION}$`).exec(raw.trim());
    if (match?.[1]) return match[1];
  }
  return null;
}

/** Driver and CUDA versions from `nvidia-smi -q` ("CUDA Version : 12.4") or the plain banner ("CUDA Version: 12.4"). */
export function parseSmiVersions(text: string): { driverVersion: string | null; cudaVersion: string | null } {
  const driver = new RegExp(`Driver Version\\s*:\\s*${VERSION}`).exec(text);
  const cuda = new RegExp(`CUDA Version\\s*:\\s*${VERSION}`).exec(text);
  return { driverVersion: driver?.[1] ?? null, cudaVersion: cuda?.[1] ?? null };
}

/** Failure states of nvidia-smi, as the status bar explains them. */
export type NvidiaSmiFailure = {
  readonly state: Extract<GpuStatus['state'], 'no-gpu' | 'error'>;
  readonly message: string;
};

const NO_GPU_PATTERNS: readonly RegExp[] = [
  /NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver[^\n]*/,
  /No devices were found[^\n]*/,
];

/** The message shown when the nvidia-smi binary cannot be found at all. */
export function noNvidiaSmiMessage(nvidiaSmiPath: string): string {
  const where = nvidiaSmiPath === 'nvidia-smi' ? 'on PATH' : `at ${nvidiaSmiPath}`;
  return `nvidia-smi not found ${where}: no NVIDIA driver is installed on this machine, so jobs train on the CPU (only for tiny models and tests); dataset curation works without a GPU.`;
}

/** Classify what a failed nvidia-smi printed (stdout and stderr together) and how it exited. */
export function describeNvidiaSmiFailure(
  output: string,
  exitCode: number | null,
  signal: string | null,
): NvidiaSmiFailure {
  for (const pattern of NO_GPU_PATTERNS) {
    const match = pattern.exec(output);
    if (match) return { state: 'no-gpu', message: match[0].trim() };
  }
  const how = signal ? `was killed by ${signal}` : `exited with code ${exitCode ?? 'unknown'}`;
  const lastLines = output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(-3)
    .join(' ');
  return { state: 'error', message: lastLines ? `nvidia-smi ${how}: ${lastLines}` : `nvidia-smi ${how}.` };
}
