/**
 * What a local base model folder holds, read from its small files only: config.json, tokenizer
 * files, the chat template and the safetensors headers. Weights are never loaded.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { ModelInfo } from '../../preload/contract';
import { AppError } from '../errors';
import { isObject, type ModelDims, modelDimsFromConfig, parameterCountFromDims } from './model-dims';
import { countFolderParameters } from './safetensors-header';

/** Files any one of which lets `AutoTokenizer.from_pretrained` build a tokenizer. */
export const TOKENIZER_FILES = [
  'tokenizer.json',
  'tokenizer.model',
  'vocab.json',
  'vocab.txt',
  'spiece.model',
] as const;

/** A model folder read for preflight: the contract's ModelInfo plus the dims the estimate needs. */
export interface InspectedModel {
  readonly info: ModelInfo;
  /** Null when config.json lacks the fields of a decoder-only transformer. */
  readonly dims: ModelDims | null;
  /** Where parameterCount came from. */
  readonly parameterSource: 'safetensors' | 'config' | null;
}

/** How the folder is presented. */
export interface InspectOptions {
  readonly source?: ModelInfo['source'];
  /** Display name; by default the folder's name. */
  readonly name?: string;
}

const NEEDS = 'a base model folder must hold config.json and a tokenizer (tokenizer.json or tokenizer.model)';

/** ModelInfo of a local model folder; AppError('BAD_INPUT') when it is not one. */
export async function inspectModel(path: string, options: InspectOptions = {}): Promise<ModelInfo> {
  return (await inspectModelFolder(path, options)).info;
}

/** ModelInfo, dims and the parameter count's source; AppError('BAD_INPUT') when it is not a model folder. */
export async function inspectModelFolder(
  path: string,
  options: InspectOptions = {},
): Promise<InspectedModel> {
  const dir = resolve(path);
  const names = await listFolder(dir);
  if (!names.includes('config.json')) {
    throw new AppError('BAD_INPUT', `${dir} has no config.json: ${NEEDS}.`, { path: dir });
  }
  const configBytes = await readFile(join(dir, 'config.json'));
  const config = parseJsonObject(configBytes.toString('utf8'), join(dir, 'config.json'));
  const text = isObject(config.text_config) ? { ...config, ...config.text_config } : config;
  const dims = modelDimsFromConfig(config);

  const counted = await countFolderParameters(dir, names);
  const parameterCount = counted ?? (dims ? parameterCountFromDims(dims) : null);
  const parameterSource = counted !== null ? 'safetensors' : dims ? 'config' : null;

  const architectures = Array.isArray(config.architectures) ? config.architectures : [];
  const info: ModelInfo = {
    path: dir,
    name: options.name ?? basename(dir),
    source: options.source ?? 'folder',
    architecture: typeof architectures[0] === 'string' ? architectures[0] : null,
    modelType: stringOrNull(config.model_type),
    parameterCount,
    dtype: stringOrNull(text.dtype) ?? stringOrNull(text.torch_dtype),
    maxContext: intOrNull(text.max_position_embeddings) ?? intOrNull(text.n_positions),
    vocabSize: dims?.vocab ?? intOrNull(text.vocab_size),
    hiddenSize: dims?.hidden ?? null,
    layers: dims?.layers ?? null,
    hasTokenizer: TOKENIZER_FILES.some((f) => names.includes(f)),
    hasChatTemplate: await hasChatTemplate(dir, names),
    configHash: createHash('sha256').update(configBytes).digest('hex'),
  };
  return { info, dims, parameterSource };
}

/** File names in the folder; BAD_INPUT when the path is missing or not a folder. */
async function listFolder(dir: string): Promise<string[]> {
  let isDir = false;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch {
    throw new AppError('BAD_INPUT', `${dir} does not exist: ${NEEDS}.`, { path: dir });
  }
  if (!isDir) throw new AppError('BAD_INPUT', `${dir} is not a folder: ${NEEDS}.`, { path: dir });
  try {
    return await readdir(dir);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError('BAD_INPUT', `${dir} cannot be read: ${message}`, { path: dir });
  }
}

/**
 * A chat template in `tokenizer_config.json` (a string, or transformers' list of named templates),
 * or in the separate `chat_template.jinja` / `chat_template.json` files newer versions save.
 */
async function hasChatTemplate(dir: string, names: readonly string[]): Promise<boolean> {
  if (names.includes('chat_template.jinja')) return true;
  for (const file of ['tokenizer_config.json', 'chat_template.json']) {
    if (!names.includes(file)) continue;
    try {
      const json: unknown = JSON.parse(await readFile(join(dir, file), 'utf8'));
      const template = isObject(json) ? json.chat_template : undefined;
      if (typeof template === 'string' && template.trim() !== '') return true;
      if (Array.isArray(template) && template.some((t) => isObject(t) && typeof t.template === 'string')) {
        return true;
      }
    } catch {
      // an unreadable tokenizer config is the trainer's problem to report; here it means "no template"
    }
  }
  return false;
}

function parseJsonObject(text: string, file: string): Readonly<Record<string, unknown>> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError('BAD_INPUT', `${file} is not valid JSON (${message}).`, { path: file });
  }
  if (!isObject(json)) throw new AppError('BAD_INPUT', `${file} must hold a JSON object.`, { path: file });
  return json;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function intOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}
