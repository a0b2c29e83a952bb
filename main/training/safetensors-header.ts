/**
 * Parameter counts from safetensors headers: an 8-byte little-endian header length, then a JSON
 * object `{ name: { dtype, shape, data_offsets }, __metadata__? }`. Only the header is read, never
 * the weights, so a 16 GB model costs a few kilobytes of I/O.
 */
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isObject } from './model-dims';

/** The safetensors format caps the header at 100 MB; anything larger is not a safetensors file. */
const MAX_HEADER_BYTES = 100_000_000;

/** Parameters (sum of shape products) stored in one safetensors file; throws when the header is bad. */
export async function countSafetensorsParameters(file: string): Promise<number> {
  const handle = await open(file, 'r');
  try {
    const prefix = Buffer.alloc(8);
    const { bytesRead } = await handle.read(prefix, 0, 8, 0);
    if (bytesRead < 8) throw new Error(`${file}: too short for a safetensors header`);
    const length = prefix.readBigUInt64LE(0);
    if (length === 0n || length > BigInt(MAX_HEADER_BYTES)) {
      throw new Error(`${file}: header length ${length} is not plausible`);
    }
    const header = Buffer.alloc(Number(length));
    const read = await handle.read(header, 0, header.length, 8);
    if (read.bytesRead < header.length) throw new Error(`${file}: header is truncated`);
    const json: unknown = JSON.parse(header.toString('utf8'));
    if (!isObject(json)) throw new Error(`${file}: header is not a JSON object`);
    let total = 0;
    for (const [name, entry] of Object.entries(json)) {
      if (name === '__metadata__') continue;
      if (!isObject(entry) || !Array.isArray(entry.shape))
        throw new Error(`${file}: tensor ${name} has no shape`);
      total += entry.shape.reduce((p: number, d: unknown) => p * (typeof d === 'number' ? d : Number.NaN), 1);
    }
    if (!Number.isFinite(total)) throw new Error(`${file}: a tensor shape is not numeric`);
    return total;
  } finally {
    await handle.close();
  }
}

/**
 * The model's weight files: the shards a `model.safetensors.index.json` names, else
 * `model.safetensors`, else every `model*.safetensors` (never `adapter_model.safetensors` or
 * Mistral's duplicate `consolidated.safetensors`). Empty when the folder has none.
 */
export async function findWeightFiles(dir: string, names: readonly string[]): Promise<string[]> {
  if (names.includes('model.safetensors.index.json')) {
    const index: unknown = JSON.parse(await readFile(join(dir, 'model.safetensors.index.json'), 'utf8'));
    const map = isObject(index) && isObject(index.weight_map) ? index.weight_map : {};
    const shards = [...new Set(Object.values(map).filter((v): v is string => typeof v === 'string'))];
    if (shards.length === 0) throw new Error('model.safetensors.index.json has no weight_map');
    return shards.sort().map((s) => join(dir, s));
  }
  if (names.includes('model.safetensors')) return [join(dir, 'model.safetensors')];
  return names
    .filter((n) => /^model.*\.safetensors$/.test(n))
    .sort()
    .map((n) => join(dir, n));
}

/**
 * Total parameters in a model folder's safetensors files, or null when it has none or one of them
 * cannot be read (a shard still downloading): the caller then computes the count from the dims.
 * Quantized checkpoints (packed int4/uint8 tensors) report packed element counts, not parameters.
 */
export async function countFolderParameters(dir: string, names: readonly string[]): Promise<number | null> {
  try {
    const files = await findWeightFiles(dir, names);
    if (files.length === 0) return null;
    const counts = await Promise.all(files.map(countSafetensorsParameters));
    return counts.reduce((a, b) => a + b, 0);
  } catch {
    return null;
  }
}
