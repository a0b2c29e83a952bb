import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Template } from '@huggingface/jinja';
import { Tokenizer } from '@huggingface/tokenizers';
import { type CanonicalRow, conversationsOf } from '../../../preload/contract';
import { AppError } from '../../errors';
import { patchJinjaStripChars } from './jinja-strip-chars';

/** `{% generation %}` / `{% endgeneration %}` (with any whitespace control), for engines without them. */
const GENERATION_TAG = /\{%-?\s*(?:end)?generation\s*-?%\}/;

type SpecialToken = string | { content?: unknown } | null | undefined;

interface TokenizerConfig {
  readonly chat_template?: unknown;
  readonly bos_token?: SpecialToken;
  readonly eos_token?: SpecialToken;
  readonly pad_token?: SpecialToken;
  readonly unk_token?: SpecialToken;
  readonly [key: string]: unknown;
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new AppError('BAD_INPUT', `Cannot read ${what} (${file}): ${(error as Error).message}`);
  }
}

function tokenText(token: SpecialToken): string | null {
  if (typeof token === 'string') return token;
  if (token && typeof token === 'object' && typeof token.content === 'string') return token.content;
  return null;
}

/** A Unicode word character as Rust's regex (and Oniguruma) define `\w` (UTS #18). */
const WORD = '\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}';
/** Rust's `Whitespace` pre-tokenizer, `\w+|[^\w\s]+` keeping only the matches, as a Split rule. */
const UNICODE_WHITESPACE = {
  type: 'Split',
  pattern: { Regex: `[${WORD}]+|[^${WORD}\\p{White_Space}]+` },
  behavior: 'Removed',
  invert: true,
};

/**
 * tokenizer.json with every `Whitespace` pre-tokenizer replaced by the same rule as a Split regex:
 * the JS engine's own Whitespace uses JavaScript's ASCII-only `\w`, so "Café" or "東京" split
 * differently from the trainer's (Rust) tokenizer; its Split regexes are Unicode-aware.
 */
export function unicodeWhitespace(json: unknown): unknown {
  if (typeof json !== 'object' || json === null) return json;
  const root = json as { pre_tokenizer?: unknown };
  const swap = (p: unknown): unknown => {
    if (typeof p !== 'object' || p === null) return p;
    const node = p as { type?: unknown; pretokenizers?: unknown };
    if (node.type === 'Whitespace') return UNICODE_WHITESPACE;
    if (node.type === 'Sequence' && Array.isArray(node.pretokenizers)) {
      return { ...node, pretokenizers: node.pretokenizers.map(swap) };
    }
    return p;
  };
  return root.pre_tokenizer === undefined ? json : { ...root, pre_tokenizer: swap(root.pre_tokenizer) };
}

/** The chat template of a model folder: tokenizer_config.json, else chat_template.jinja / .json. */
export function findChatTemplate(modelDir: string, config: TokenizerConfig): string | null {
  const inConfig = config.chat_template;
  if (typeof inConfig === 'string') return inConfig;
  if (Array.isArray(inConfig)) {
    const named = inConfig as Array<{ name?: unknown; template?: unknown }>;
    const chosen = named.find((t) => t.name === 'default') ?? named[0];
    if (chosen && typeof chosen.template === 'string') return chosen.template;
  }
  const jinja = join(modelDir, 'chat_template.jinja');
  if (existsSync(jinja)) return readFileSync(jinja, 'utf8');
  const json = join(modelDir, 'chat_template.json');
  if (existsSync(json)) {
    const template = (readJson(json, 'the chat template') as { chat_template?: unknown }).chat_template;
    if (typeof template === 'string') return template;
  }
  return null;
}

/** Compile a chat template; a template the engine rejects only for its generation markers is retried without them. */
export function compileChatTemplate(source: string): Template {
  patchJinjaStripChars();
  try {
    return new Template(source);
  } catch (error) {
    if (!GENERATION_TAG.test(source)) throw error;
    return new Template(source.replace(new RegExp(GENERATION_TAG.source, 'g'), ''));
  }
}

/**
 * Renders conversations as the trainer does: the chat template (tokenizer_config.json, else
 * chat_template.jinja / .json) with the row's `tools`, as transformers'
 * `apply_chat_template(messages, tools=…)`, no generation prompt. Needs no tokenizer.
 */
export class ChatRenderer {
  private readonly template: Template | null;
  /** The special tokens templates may use (bos_token, eos_token…). */
  readonly context: Readonly<Record<string, string>>;

  constructor(modelDir: string, config?: TokenizerConfig) {
    const dir = resolve(modelDir);
    const configFile = join(dir, 'tokenizer_config.json');
    const cfg =
      config ??
      ((existsSync(configFile) ? readJson(configFile, 'tokenizer_config.json') : {}) as TokenizerConfig);
    const source = findChatTemplate(dir, cfg);
    try {
      this.template = source === null ? null : compileChatTemplate(source);
    } catch (error) {
      throw new AppError(
        'BAD_INPUT',
        `The chat template in ${dir} cannot be read: ${(error as Error).message}`,
      );
    }
    this.context = {
      bos_token: tokenText(cfg.bos_token) ?? '',
      eos_token: tokenText(cfg.eos_token) ?? '',
      pad_token: tokenText(cfg.pad_token) ?? '',
      unk_token: tokenText(cfg.unk_token) ?? '',
    };
  }

  /** Whether the model has a chat template. */
  get hasChatTemplate(): boolean {
    return this.template !== null;
  }

  /**
   * Each conversation of a row rendered (a chat: one; a preference pair: prompt + chosen, then
   * prompt + rejected; KTO: prompt + completion); null for text rows and without a template;
   * throws what the template raises.
   */
  render(row: CanonicalRow): string[] | null {
    const template = this.template;
    if ('text' in row || !template) return null;
    return conversationsOf(row).map((messages) =>
      template.render({
        ...this.context,
        add_generation_prompt: false,
        messages,
        ...(row.tools ? { tools: row.tools } : {}),
      }),
    );
  }
}

/**
 * Counts the tokens of canonical rows the way training will see them: conversations rendered with
 * the model's chat template (no generation prompt) and encoded without adding special tokens again;
 * text rows (with the eos the trainer appends), and conversations of a model without a template,
 * encoded plainly.
 */
export class RowTokenizer {
  private readonly tokenizer: Tokenizer;
  private readonly renderer: ChatRenderer;

  constructor(modelDir: string) {
    const dir = resolve(modelDir);
    const tokenizerFile = join(dir, 'tokenizer.json');
    if (!existsSync(tokenizerFile)) {
      throw new AppError(
        'BAD_INPUT',
        `${dir} has no tokenizer.json: choose the folder of a Hugging Face model.`,
      );
    }
    const configFile = join(dir, 'tokenizer_config.json');
    const config = (
      existsSync(configFile) ? readJson(configFile, 'tokenizer_config.json') : {}
    ) as TokenizerConfig;
    try {
      const json = unicodeWhitespace(readJson(tokenizerFile, 'tokenizer.json'));
      this.tokenizer = new Tokenizer(json as object, config);
    } catch (error) {
      throw new AppError(
        'BAD_INPUT',
        `The tokenizer in ${dir} cannot be loaded: ${(error as Error).message}`,
      );
    }
    this.renderer = new ChatRenderer(dir, config);
  }

  /** The id of the end-of-sequence token, which the trainer appends to text rows. */
  private get eosId(): number | undefined {
    const eos = this.renderer.context.eos_token;
    return eos ? this.tokenizer.token_to_id(eos) : undefined;
  }

  /** Whether conversations are rendered with the model's chat template. */
  get hasChatTemplate(): boolean {
    return this.renderer.hasChatTemplate;
  }

  /** A conversation as the trainer renders it (see ChatRenderer). */
  render(row: CanonicalRow): string[] | null {
    return this.renderer.render(row);
  }

  /**
   * Tokens of one row (of a preference pair: its longer side, which max_seq_len applies to);
   * `templated` says whether the chat template rendered it.
   */
  count(row: CanonicalRow): { readonly tokens: number; readonly templated: boolean } {
    if ('text' in row) {
      // As the trainer does (labels.py): special tokens added, then eos unless already last.
      const ids = this.tokenizer.encode(row.text).ids;
      const eos = this.eosId;
      return { tokens: ids.length + (eos !== undefined && ids.at(-1) !== eos ? 1 : 0), templated: false };
    }
    if (this.renderer.hasChatTemplate) {
      try {
        const texts = this.renderer.render(row) ?? [];
        const lengths = texts.map((t) => this.tokenizer.encode(t, { add_special_tokens: false }).ids.length);
        return { tokens: Math.max(0, ...lengths), templated: true };
      } catch {
        // A template may refuse a conversation (raise_exception on role order): count it plainly.
      }
    }
    const lengths = conversationsOf(row).map(
      (messages) =>
        this.tokenizer.encode(messages.map((m) => `${m.role}: ${m.content}`).join('\n')).ids.length,
    );
    return { tokens: Math.max(0, ...lengths), templated: false };
  }
}
