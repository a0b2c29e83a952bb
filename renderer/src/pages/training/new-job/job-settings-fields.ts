import { type JobSettings, LR_SCHEDULERS } from '../../../../../preload/contract';

/** A key a person may set on a job (every `JobSettings` key). */
export type SettingKey = keyof JobSettings;

/** How a field is edited and parsed. */
export type FieldKind =
  | { readonly type: 'int'; readonly nullable?: boolean }
  | { readonly type: 'number' }
  | { readonly type: 'enum'; readonly options: ReadonlyArray<string> }
  | { readonly type: 'bool' }
  | { readonly type: 'modules' };

/** One field of the Advanced section. */
export interface SettingField {
  readonly key: SettingKey;
  readonly label: string;
  readonly kind: FieldKind;
  /** One line of help: what it does, with its unit. */
  readonly help: string;
}

/** A titled group of fields. */
export interface SettingGroup {
  readonly id: string;
  readonly title: string;
  readonly fields: ReadonlyArray<SettingField>;
}

/** Every `JobSettings` field, grouped as the Advanced section shows them. */
export const SETTING_GROUPS: ReadonlyArray<SettingGroup> = [
  {
    id: 'adapter',
    title: 'Adapter',
    fields: [
      {
        key: 'method',
        label: 'Method',
        kind: { type: 'enum', options: ['lora', 'qlora', 'dora'] },
        help: 'QLoRA loads the base model in 4-bit (bitsandbytes); DoRA adds weight decomposition.',
      },
      {
        key: 'lora_r',
        label: 'Rank (r)',
        kind: { type: 'int' },
        help: 'Size of the low-rank update, 1–1024.',
      },
      {
        key: 'lora_alpha',
        label: 'Alpha',
        kind: { type: 'int' },
        help: 'Scaling; the update is × alpha / r.',
      },
      { key: 'lora_dropout', label: 'Dropout', kind: { type: 'number' }, help: 'On the LoRA path, 0–0.9.' },
      {
        key: 'lora_target_modules',
        label: 'Target modules',
        kind: { type: 'modules' },
        help: '"all-linear", or module names separated by commas (q_proj, v_proj, …).',
      },
    ],
  },
  {
    id: 'data',
    title: 'Data and batching',
    fields: [
      {
        key: 'max_seq_len',
        label: 'Sequence length',
        kind: { type: 'int' },
        help: 'Tokens per example; longer rows are truncated.',
      },
      {
        key: 'per_device_batch_size',
        label: 'Batch size',
        kind: { type: 'int' },
        help: 'Examples per GPU per forward pass.',
      },
      {
        key: 'grad_accum',
        label: 'Gradient accumulation',
        kind: { type: 'int' },
        help: 'Passes per optimiser step; effective batch = batch × accumulation × GPUs.',
      },
      {
        key: 'packing',
        label: 'Packing',
        kind: { type: 'bool' },
        help: 'Concatenate short examples to fill each sequence.',
      },
      {
        key: 'completion_only',
        label: 'Completion-only loss',
        kind: { type: 'bool' },
        help: 'Train on assistant turns only; prompts are masked out of the loss.',
      },
    ],
  },
  {
    id: 'optimiser',
    title: 'Optimiser',
    fields: [
      {
        key: 'learning_rate',
        label: 'Learning rate',
        kind: { type: 'number' },
        help: 'Peak rate, e.g. 2e-4.',
      },
      {
        key: 'lr_scheduler',
        label: 'Scheduler',
        kind: { type: 'enum', options: LR_SCHEDULERS },
        help: 'How the rate changes after warm-up.',
      },
      {
        key: 'warmup',
        label: 'Warm-up',
        kind: { type: 'number' },
        help: 'Fraction of the steps spent warming up, 0–0.99.',
      },
      { key: 'weight_decay', label: 'Weight decay', kind: { type: 'number' }, help: 'AdamW decay, 0–10.' },
      {
        key: 'max_grad_norm',
        label: 'Max grad norm',
        kind: { type: 'number' },
        help: 'Gradient clipping; 0 turns it off.',
      },
    ],
  },
  {
    id: 'length',
    title: 'Length',
    fields: [
      { key: 'epochs', label: 'Epochs', kind: { type: 'number' }, help: 'Passes over the training split.' },
      {
        key: 'max_steps',
        label: 'Max steps',
        kind: { type: 'int', nullable: true },
        help: 'Stops after this many optimiser steps, overriding epochs; "none" to use epochs.',
      },
    ],
  },
  {
    id: 'checkpoints',
    title: 'Evaluation, checkpoints and logging',
    fields: [
      {
        key: 'eval_steps',
        label: 'Eval every',
        kind: { type: 'int', nullable: true },
        help: 'Steps between validation passes; "none" for no evaluation.',
      },
      { key: 'save_steps', label: 'Save every', kind: { type: 'int' }, help: 'Steps between checkpoints.' },
      {
        key: 'save_total_limit',
        label: 'Keep checkpoints',
        kind: { type: 'int', nullable: true },
        help: 'Older checkpoints are deleted beyond this; "none" keeps all.',
      },
      {
        key: 'logging_steps',
        label: 'Log every',
        kind: { type: 'int' },
        help: 'Steps between loss reports.',
      },
    ],
  },
  {
    id: 'runtime',
    title: 'Runtime',
    fields: [
      { key: 'seed', label: 'Seed', kind: { type: 'int' }, help: 'For shuffling and initialisation.' },
      {
        key: 'precision',
        label: 'Precision',
        kind: { type: 'enum', options: ['auto', 'bf16', 'fp16', 'fp32'] },
        help: 'auto: bf16 where the GPU supports it, else fp16.',
      },
      {
        key: 'attn_implementation',
        label: 'Attention',
        kind: { type: 'enum', options: ['auto', 'sdpa', 'flash_attention_2', 'eager'] },
        help: 'flash_attention_2 needs the flash-attn package.',
      },
      {
        key: 'gradient_checkpointing',
        label: 'Gradient checkpointing',
        kind: { type: 'bool' },
        help: 'Recompute activations: much less memory, about 30 % slower.',
      },
    ],
  },
];

/** Every field, in display order. */
export const SETTING_FIELDS: ReadonlyArray<SettingField> = SETTING_GROUPS.flatMap((group) => group.fields);
