/**
 * Preflight: everything that can be known about a job before it is queued, as checks a person can
 * read (pass / warn / fail with a sentence each). `ok` is false when any check fails; the job form
 * shows the list and `jobs.create` refuses a request whose preflight is not ok.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { DatasetVersionRow } from '../../db/repositories/datasets-repository';
import type {
  GpuStatus,
  JobRequest,
  ModelInfo,
  PreflightCheck,
  PreflightResult,
  TrainerConfig,
  VramEstimate,
} from '../../preload/contract';
import { toolTemplateProblem } from '../datasets/curation/tool-template-check';
import { getDiskSpace } from '../telemetry/system-info';
import { chooseDevices, requestedDevices } from './gpu-choice';
import { type InspectedModel, inspectModelFolder } from './model-inspector';
import { objectiveProblem, type RowKind, rowKindOf } from './objective-check';
import {
  check,
  configCheck,
  diskCheck,
  diskNeedBytes,
  durationCheck,
  gpuFacts,
  gpusCheck,
  pythonCheck,
  tokenizerCheck,
  totalSteps,
  vramCheck,
} from './preflight-checks';
import { resolveConfig } from './resolve-config';
import type { TrainerDoctorRun } from './trainer-doctor';
import { estimateVram, vramRunFromConfig } from './vram-estimate';

/** The facts of a frozen dataset version preflight reads (a row of dataset_versions). */
export type DatasetVersionFacts = Pick<
  DatasetVersionRow,
  'id' | 'version' | 'filePath' | 'sha256' | 'sizeBytes' | 'rowCount' | 'trainCount' | 'valCount'
> & { readonly deletedAt?: number | null };

/** What preflight reads, all passed in. */
export interface PreflightDeps {
  /** The data folder; dataset version paths are relative to it, checkpoints go under it. */
  readonly dataDir: string;
  readonly getDatasetVersion: (id: string) => DatasetVersionFacts | undefined;
  /** The GPUs now: a fresh nvidia-smi query (the job's devices are decided from it). */
  readonly gpuStatus: () => GpuStatus | Promise<GpuStatus>;
  /** GPUs that our queued, starting or running jobs hold (a default choice avoids them). */
  readonly busyGpuIndices?: () => ReadonlyArray<number>;
  readonly trainerDoctor: () => Promise<TrainerDoctorRun>;
  /** tokens/s of an earlier job on this base model, or null. */
  readonly knownThroughput: (modelPath: string) => number | null | Promise<number | null>;
  /** Free space of the disk holding a path; getDiskSpace by default. */
  readonly diskSpace?: (path: string) => Promise<{ readonly freeGb: number | null }>;
  readonly platform?: NodeJS.Platform;
}

/** Run every check of a job request; never throws for a bad request, only reports it. */
export async function runPreflight(deps: PreflightDeps, request: JobRequest): Promise<PreflightResult> {
  const modelPath = resolve(request.modelPath);
  const [dataset, model, doctor, status, throughput, disk] = await Promise.all([
    checkDataset(deps, request.datasetVersionId),
    inspectModelFolder(modelPath).then(
      (m): InspectedModel | string => m,
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    ),
    deps.trainerDoctor().catch((e: unknown): TrainerDoctorRun => ({ doctor: null, problem: String(e) })),
    Promise.resolve()
      .then(() => deps.gpuStatus())
      .catch(() => null),
    Promise.resolve()
      .then(() => deps.knownThroughput(modelPath))
      .catch(() => null),
    (deps.diskSpace ?? getDiskSpace)(deps.dataDir).catch(() => ({ freeGb: null })),
  ]);
  const inspected = typeof model === 'string' ? null : model;
  const toolProblem =
    dataset.facts && inspected?.info.hasChatTemplate
      ? await toolTemplateProblem(resolve(deps.dataDir, dataset.facts.filePath), modelPath).catch(() => null)
      : null;
  const info: ModelInfo | null = inspected?.info ?? null;

  let config: PreflightResult['config'] = null;
  let configError: string | null = null;
  try {
    config = resolveConfig({
      modelPath,
      preset: request.preset,
      settings: request.settings,
      valRows: dataset.facts?.valCount,
      maxContext: info?.maxContext,
    });
  } catch (error) {
    configError = error instanceof Error ? error.message : String(error);
  }

  const gpus = gpuFacts(status, doctor);
  const requested = requestedDevices(request);
  const plan = chooseDevices(requested, gpus, new Set(deps.busyGpuIndices?.() ?? []));
  const chosen = plan.gpuIndices;
  // Not knowing whether there is a GPU is not "no GPU": never fall back to the CPU on a failed query.
  const unreadable =
    requested === undefined && gpus.length === 0 && (status === null || status.state === 'error')
      ? `Could not read the GPUs (${status?.message ?? 'nvidia-smi failed'}): choose the GPUs or the CPU explicitly.`
      : null;
  const conflicting =
    request.device === 'cpu' && (request.gpuIndices?.length ?? 0) > 0
      ? `The request names the CPU and GPU ${request.gpuIndices?.join(', ')}: choose one.`
      : null;
  const devicesProblem = conflicting ?? unreadable;
  const estimate: VramEstimate | null =
    config && inspected?.dims
      ? estimateVram(inspected.dims, vramRunFromConfig(config), countedParameters(inspected))
      : null;
  const noEstimate = !config
    ? 'the settings are invalid.'
    : !inspected
      ? 'the model folder could not be read.'
      : 'config.json lacks the dims of a decoder-only transformer (hidden_size, num_hidden_layers…).';

  const world = Math.max(1, chosen?.length ?? 1);
  const steps = config && dataset.facts ? totalSteps(config, dataset.facts.trainCount, world) : null;
  const needBytes =
    config && estimate && steps !== null && dataset.facts
      ? diskNeedBytes(estimate.loraParams, config, steps, dataset.facts.sizeBytes)
      : null;

  const checks: PreflightCheck[] = [
    dataset.check,
    typeof model === 'string' ? check('model', 'fail', model) : modelCheck(model),
    toolProblem ? check('tokenizer', 'fail', toolProblem) : tokenizerCheck(info, dataset.chatRows),
    (config && objectiveMismatch(config, dataset.rowKind)) ??
      configCheck(config, configError, doctor, chosen, info),
    pythonCheck(doctor),
    devicesProblem !== null
      ? check('gpus', 'fail', devicesProblem)
      : gpusCheck(chosen, gpus, doctor, deps.platform ?? process.platform, plan),
    vramCheck(estimate, chosen, gpus, noEstimate),
    needBytes === null && !estimate
      ? check('disk', 'warn', `Not estimated: ${noEstimate}`)
      : needBytes === null
        ? check('disk', 'warn', 'Not estimated: the dataset version could not be read.')
        : diskCheck(needBytes, disk.freeGb, deps.dataDir),
    config && steps !== null && dataset.facts
      ? durationCheck(config, steps, dataset.facts, throughput)
      : check('duration', 'pass', 'Unknown until the dataset and settings are valid.'),
  ];
  const ok = checks.every((c) => c.verdict !== 'fail');
  return { ok, checks, estimate, config, devices: devicesProblem === null ? plan : null };
}

/** A failed config check when the objective cannot train the version's rows. */
function objectiveMismatch(config: TrainerConfig, kind: RowKind | null): PreflightCheck | null {
  const problem = objectiveProblem(config.objective ?? 'sft', kind);
  return problem === null ? null : check('config', 'fail', problem);
}

/** The safetensors count when there is one; else the estimate computes it from the dims and says so. */
/** 8.03 B, 124 M, 140 k: parameter counts as model cards write them. */
export function formatParameterCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} k`;
  return String(n);
}

function countedParameters({ info, parameterSource }: InspectedModel): number | null {
  return parameterSource === 'safetensors' ? info.parameterCount : null;
}

function modelCheck({ info, parameterSource }: InspectedModel): PreflightCheck {
  const facts = [
    info.architecture ?? info.modelType ?? 'unknown architecture',
    info.parameterCount !== null
      ? `${formatParameterCount(info.parameterCount)} parameters` +
        (parameterSource === 'config' ? ' (from config.json)' : '')
      : null,
    info.maxContext !== null ? `context ${info.maxContext.toLocaleString('en-US')}` : null,
    info.dtype,
  ].filter(Boolean);
  return check('model', 'pass', `${facts.join(', ')}.`);
}

/** The dataset check, what the file's first rows look like, and the version's facts when usable. */
interface DatasetOutcome {
  readonly check: PreflightCheck;
  /** true: conversations; false: plain text; null: unknown. */
  readonly chatRows: boolean | null;
  /** What the first rows are (for the objective check); null: unknown. */
  readonly rowKind: RowKind | null;
  readonly facts: DatasetVersionFacts | null;
}

async function checkDataset(deps: PreflightDeps, versionId: string): Promise<DatasetOutcome> {
  const fail = (detail: string): DatasetOutcome => ({
    check: check('dataset', 'fail', detail),
    chatRows: null,
    rowKind: null,
    facts: null,
  });
  const version = deps.getDatasetVersion(versionId);
  if (!version || version.deletedAt) return fail(`Dataset version ${versionId} does not exist.`);
  const file = resolve(deps.dataDir, version.filePath);
  const rel = relative(resolve(deps.dataDir), file);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    return fail(`The version's file ${version.filePath} lies outside the data folder.`);
  }
  const isFile = await stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!isFile) return fail(`The frozen file of version ${version.version} (${version.filePath}) is missing.`);
  let hashed: { sha256: string; head: string };
  try {
    hashed = await hashFile(file);
  } catch (error) {
    return fail(`The frozen file ${version.filePath} cannot be read: ${(error as Error).message}`);
  }
  if (hashed.sha256 !== version.sha256.toLowerCase()) {
    return fail(
      `The file of version ${version.version} changed after it was frozen ` +
        `(sha256 ${hashed.sha256.slice(0, 12)}… ` +
        `instead of ${version.sha256.slice(0, 12)}…): freeze a new version.`,
    );
  }
  if (version.trainCount <= 0) {
    return fail(
      `Version ${version.version} has no training rows: split the dataset into train and validation.`,
    );
  }
  const detail =
    `Version ${version.version}: ${version.trainCount.toLocaleString('en-US')} training rows, ` +
    `${version.valCount.toLocaleString('en-US')} validation rows; ` +
    `sha256 matches (${hashed.sha256.slice(0, 12)}…).`;
  return {
    check: check('dataset', 'pass', detail),
    chatRows: chatRowsOf(hashed.head),
    rowKind: rowKindOf(hashed.head),
    facts: version,
  };
}

const HEAD_BYTES = 64 * 1024;

/** sha256 of a file, streamed, with its first 64 KB kept to look at the rows. */
async function hashFile(file: string): Promise<{ sha256: string; head: string }> {
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let headBytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const buf = chunk as Buffer;
    hash.update(buf);
    if (headBytes < HEAD_BYTES) {
      head.push(buf.subarray(0, HEAD_BYTES - headBytes));
      headBytes += Math.min(buf.length, HEAD_BYTES - headBytes);
    }
  }
  return { sha256: hash.digest('hex'), head: Buffer.concat(head).toString('utf8') };
}

/** Whether the first complete JSON rows are conversations (`messages`) or plain text. */
function chatRowsOf(head: string): boolean | null {
  for (const line of head.split('\n').slice(0, 20)) {
    try {
      const row: unknown = JSON.parse(line);
      if (typeof row !== 'object' || row === null) continue;
      if ('messages' in row) return true;
      if ('text' in row) return false;
    } catch {
      // a partial last line, or not JSON lines
    }
  }
  return null;
}
