/**
 * GGUF export through llama.cpp's own converter: Settings' `llamacpp.path` names a llama.cpp
 * checkout; `convert_lora_to_gguf.py` in it turns a PEFT adapter into a GGUF LoRA file that
 * llama.cpp and Ollama load. Without a checkout the option says what is needed.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Clock } from '../../db/ids';
import type { Db } from '../../db/open';
import {
  type ModelArtifactRow,
  ModelArtifactsRepository,
} from '../../db/repositories/model-artifacts-repository';
import type { GgufStatus } from '../../preload/contract';
import { AppError } from '../errors';
import type { TaskReporter } from '../tasks/task-registry';
import { signalChild } from '../training/process-info';
import { sha256File } from './adapter-artifact';
import { parseArtifactMeta } from './artifact-meta';

export const GGUF_CONVERTER = 'convert_lora_to_gguf.py';

/** Is a llama.cpp checkout configured, with its LoRA converter; which version. */
export async function ggufStatus(checkout: string | null): Promise<GgufStatus> {
  if (checkout === null) {
    return {
      available: false,
      path: null,
      version: null,
      problem:
        'GGUF export uses llama.cpp\'s converter: clone https://github.com/ggml-org/llama.cpp and set "llama.cpp checkout" in Settings.',
    };
  }
  const converter = join(checkout, GGUF_CONVERTER);
  if (!(await stat(converter).catch(() => null))?.isFile()) {
    return {
      available: false,
      path: checkout,
      version: null,
      problem: `${checkout} has no ${GGUF_CONVERTER}: is it a llama.cpp checkout?`,
    };
  }
  let version: string | null = null;
  try {
    const pyproject = await readFile(join(checkout, 'gguf-py', 'pyproject.toml'), 'utf8');
    version = /^version\s*=\s*"([^"]+)"/m.exec(pyproject)?.[1] ?? null;
  } catch {
    version = null;
  }
  return {
    available: true,
    path: checkout,
    version: version === null ? null : `gguf-py ${version}`,
    problem: null,
  };
}

export interface GgufDeps {
  readonly db: Db;
  readonly dataDir: string;
  readonly now: Clock;
  readonly env: NodeJS.ProcessEnv;
  readonly python: () => Promise<string>;
}

/** Convert adapter `source` to `exports/<id>/<name>-<outtype>.gguf` and register it (kind `gguf`). */
export async function exportGguf(
  deps: GgufDeps,
  checkout: string,
  source: ModelArtifactRow,
  outType: 'f32' | 'f16' | 'bf16' | 'q8_0',
  reporter: TaskReporter,
): Promise<ModelArtifactRow> {
  if (source.kind !== 'adapter')
    throw new AppError('BAD_INPUT', `Only adapters convert to a GGUF LoRA; this is a ${source.kind}.`);
  if (!source.baseModelPath) throw new AppError('BAD_INPUT', 'This adapter has no recorded base model.');
  const dir = join(deps.dataDir, 'exports', source.id);
  await mkdir(dir, { recursive: true });
  const outfile = join(dir, `adapter-${outType}.gguf`);
  const args = [
    join(checkout, GGUF_CONVERTER),
    '--base',
    source.baseModelPath,
    '--outfile',
    outfile,
    '--outtype',
    outType,
    join(deps.dataDir, source.path),
  ];
  const python = await deps.python();
  reporter.progress(0, null, `converting with ${GGUF_CONVERTER}`);
  await new Promise<void>((resolve, reject) => {
    if (reporter.signal.aborted) return reject(new AppError('CONFLICT', 'The export was cancelled.'));
    const child = spawn(python, args, {
      cwd: checkout,
      env: { ...deps.env, PYTHONUNBUFFERED: '1', HF_HUB_OFFLINE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    let tail = '';
    const onData = (chunk: string) => {
      tail = (tail + chunk).slice(-4000);
      const last = tail
        .trim()
        .split(/[\r\n]+/)
        .at(-1)
        ?.trim();
      if (last) reporter.progress(0, null, last.slice(0, 200));
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    const kill = () => signalChild(child, 'SIGKILL');
    reporter.signal.addEventListener('abort', kill, { once: true });
    child.once('error', (e) =>
      reject(new AppError('UNAVAILABLE', `${python} could not start: ${e.message}`)),
    );
    child.once('close', (code) => {
      reporter.signal.removeEventListener('abort', kill);
      if (reporter.signal.aborted) return reject(new AppError('CONFLICT', 'The export was cancelled.'));
      if (code === 0) return resolve();
      reject(
        new AppError(
          'INTERNAL',
          `${GGUF_CONVERTER} exited with code ${code}: ${tail.trim().split('\n').at(-1) ?? ''}`,
        ),
      );
    });
  }).catch(async (error: unknown) => {
    await rm(outfile, { force: true });
    throw error;
  });
  const info = await stat(outfile).catch(() => null);
  if (!info?.isFile()) throw new AppError('INTERNAL', `${GGUF_CONVERTER} finished but wrote no ${outfile}.`);
  const meta = parseArtifactMeta(source.metaJson);
  return new ModelArtifactsRepository(deps.db, deps.now).create({
    jobId: source.jobId,
    kind: 'gguf',
    name: `${source.name} (GGUF ${outType})`,
    path: relative(deps.dataDir, outfile),
    sizeBytes: info.size,
    sha256: await sha256File(outfile),
    baseModelPath: source.baseModelPath,
    metaJson: JSON.stringify({
      ...meta,
      files: [{ name: `adapter-${outType}.gguf`, sizeBytes: info.size }],
      weightsFile: null,
      exportedFrom: source.id,
      outType,
    }),
  });
}
