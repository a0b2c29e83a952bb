/**
 * The shape of a decoder-only transformer as its Hugging Face `config.json` describes it, and the
 * numbers derived from it (linear modules, parameter count). Pure: no I/O.
 */

/** What the VRAM estimate and the parameter count need to know about a model. */
export interface ModelDims {
  readonly hidden: number;
  readonly intermediate: number;
  readonly layers: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly vocab: number;
  /** `lm_head` shares the embedding matrix (no separate output weights). */
  readonly tiedEmbeddings: boolean;
}

/** One linear layer of a transformer block, Llama-style names. */
export interface LinearModule {
  readonly name: string;
  readonly dIn: number;
  readonly dOut: number;
}

/** Names PEFT's `"all-linear"` resolves to in a Llama-style block (everything but `lm_head`). */
export const LLAMA_LINEAR_MODULES = [
  'q_proj',
  'k_proj',
  'v_proj',
  'o_proj',
  'gate_proj',
  'up_proj',
  'down_proj',
] as const;

/** Width of the key (and value) projection: kv heads × head dim (1024 on Llama-3-8B). */
export function kvDim(dims: ModelDims): number {
  return dims.kvHeads * dims.headDim;
}

/** Width of the query projection: heads × head dim (equal to hidden on most models, not on Gemma). */
export function qDim(dims: ModelDims): number {
  return dims.heads * dims.headDim;
}

/** The seven linear layers of one block: attention q/k/v/o and the SwiGLU MLP gate/up/down. */
export function linearModules(dims: ModelDims): readonly LinearModule[] {
  const h = dims.hidden;
  const I = dims.intermediate;
  return [
    { name: 'q_proj', dIn: h, dOut: qDim(dims) },
    { name: 'k_proj', dIn: h, dOut: kvDim(dims) },
    { name: 'v_proj', dIn: h, dOut: kvDim(dims) },
    { name: 'o_proj', dIn: qDim(dims), dOut: h },
    { name: 'gate_proj', dIn: h, dOut: I },
    { name: 'up_proj', dIn: h, dOut: I },
    { name: 'down_proj', dIn: I, dOut: h },
  ];
}

/** Parameters that stay 16-bit under QLoRA: embeddings, an untied `lm_head`, and RMSNorm weights. */
export function nonLinearParameterCount(dims: ModelDims): number {
  const embeddings = dims.vocab * dims.hidden * (dims.tiedEmbeddings ? 1 : 2);
  const norms = (2 * dims.layers + 1) * dims.hidden;
  return embeddings + norms;
}

/** Total parameters of a Llama-style model computed from its dims (8,030,261,248 for Llama-3-8B). */
export function parameterCountFromDims(dims: ModelDims): number {
  const perLayer = linearModules(dims).reduce((sum, m) => sum + m.dIn * m.dOut, 0);
  return dims.layers * perLayer + nonLinearParameterCount(dims);
}

type Json = Readonly<Record<string, unknown>>;

/**
 * The dims of a model from its parsed `config.json`, or null when a required field is missing.
 * Reads Llama-style names (hidden_size, …) with GPT-2 aliases (n_embd, …), and `text_config` of
 * multimodal models. `tie_word_embeddings` absent counts as untied: that overestimates by one
 * embedding matrix at most, which is the safe side for a memory check.
 */
export function modelDimsFromConfig(config: Json): ModelDims | null {
  const text = isObject(config.text_config) ? { ...config, ...config.text_config } : config;
  const hidden = firstInt(text, ['hidden_size', 'n_embd', 'd_model']);
  const layers = firstInt(text, ['num_hidden_layers', 'n_layer', 'num_layers']);
  const heads = firstInt(text, ['num_attention_heads', 'n_head']);
  const vocab = firstInt(text, ['vocab_size']);
  if (hidden === null || layers === null || heads === null || vocab === null) return null;
  const intermediate = firstInt(text, ['intermediate_size', 'n_inner', 'ffn_dim']) ?? 4 * hidden;
  const kvHeads = firstInt(text, ['num_key_value_heads', 'num_kv_heads']) ?? heads;
  const headDim = firstInt(text, ['head_dim']) ?? Math.floor(hidden / heads);
  const tiedEmbeddings = text.tie_word_embeddings === true;
  return { hidden, intermediate, layers, heads, kvHeads, headDim, vocab, tiedEmbeddings };
}

/** The first of `keys` that holds a positive integer. */
function firstInt(obj: Json, keys: readonly string[]): number | null {
  for (const key of keys) {
    const value = obj[key];
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  }
  return null;
}

/** A plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
