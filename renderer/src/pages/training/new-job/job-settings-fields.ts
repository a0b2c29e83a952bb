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

const INT: FieldKind = { type: 'int' };
/** An integer, or "none" for null. */
const INT_OR_NONE: FieldKind = { type: 'int', nullable: true };
const NUMBER: FieldKind = { type: 'number' };
const BOOL: FieldKind = { type: 'bool' };
const MODULES: FieldKind = { type: 'modules' };
const oneOf = (options: ReadonlyArray<string>): FieldKind => ({ type: 'enum', options });

/** key, label, how it is edited, one line of help (what it does, with its unit). */
type FieldRow = readonly [SettingKey, string, FieldKind, string];

/** Every `JobSettings` field as a table: one row per field, grouped as the Advanced section shows them. */
// biome-ignore format: one row per field reads as a table
const TABLE: ReadonlyArray<readonly [id: string, title: string, rows: ReadonlyArray<FieldRow>]> = [
  [
    'objective',
    'Objective',
    [
      ['objective', 'Training objective', oneOf(['sft', 'dpo', 'orpo', 'kto']), 'SFT learns the answers; DPO and ORPO learn from chosen/rejected pairs, KTO from answers labelled good or bad (preference datasets).'],
      ['pref_beta', 'Beta', NUMBER, 'DPO/KTO: how far the model may move from the base (0.1 usual); ORPO: weight of the odds-ratio term.'],
      ['pref_loss_type', 'Preference loss', oneOf(['sigmoid', 'ipo', 'hinge', 'kto', 'apo_zero_unpaired']), 'DPO: sigmoid (the paper), ipo or hinge; KTO: kto or apo_zero_unpaired.'],
    ],
  ],
  [
    'adapter',
    'Adapter',
    [
      ['method', 'Method', oneOf(['lora', 'qlora', 'dora']), 'QLoRA loads the base model in 4-bit (bitsandbytes); DoRA adds weight decomposition.'],
      ['lora_r', 'Rank (r)', INT, 'Size of the low-rank update, 1–1024.'],
      ['lora_alpha', 'Alpha', INT, 'Scaling; the update is × alpha / r.'],
      ['lora_dropout', 'Dropout', NUMBER, 'On the LoRA path, 0–0.9.'],
      ['lora_target_modules', 'Target modules', MODULES, '"all-linear", or module names separated by commas (q_proj, v_proj, …).'],
    ],
  ],
  [
    'data',
    'Data and batching',
    [
      ['max_seq_len', 'Sequence length', INT, 'Tokens per example, at most the model\'s context.'],
      ['overlong', 'Longer rows', oneOf(['truncate', 'drop']), 'Rows longer than the sequence length: cut to it, or left out of training.'],
      ['per_device_batch_size', 'Batch size', INT, 'Examples per GPU per forward pass.'],
      ['grad_accum', 'Gradient accumulation', INT, 'Passes per optimiser step; effective batch = batch × accumulation × GPUs.'],
      ['packing', 'Packing', BOOL, 'Concatenate short examples to fill each sequence.'],
      ['completion_only', 'Completion-only loss', BOOL, 'Train on assistant turns only; prompts are masked out of the loss.'],
    ],
  ],
  [
    'optimiser',
    'Optimiser',
    [
      ['learning_rate', 'Learning rate', NUMBER, 'Peak rate, e.g. 2e-4.'],
      ['lr_scheduler', 'Scheduler', oneOf(LR_SCHEDULERS), 'How the rate changes after warm-up.'],
      ['warmup', 'Warm-up', NUMBER, 'Fraction of the steps spent warming up, 0–0.99.'],
      ['weight_decay', 'Weight decay', NUMBER, 'AdamW decay, 0–10.'],
      ['max_grad_norm', 'Max grad norm', NUMBER, 'Gradient clipping; 0 turns it off.'],
    ],
  ],
  [
    'length',
    'Length',
    [
      ['epochs', 'Epochs', NUMBER, 'Passes over the training split.'],
      ['max_steps', 'Max steps', INT_OR_NONE, 'Stops after this many optimiser steps, overriding epochs; "none" to use epochs.'],
    ],
  ],
  [
    'checkpoints',
    'Evaluation, checkpoints and logging',
    [
      ['eval_steps', 'Eval every', INT_OR_NONE, 'Steps between validation passes (on when the version has a validation split); "none": at every checkpoint.'],
      ['save_steps', 'Save every', INT, 'Steps between checkpoints.'],
      ['save_total_limit', 'Keep checkpoints', INT_OR_NONE, 'Older checkpoints are deleted beyond this; "none" keeps all.'],
      ['logging_steps', 'Log every', INT, 'Steps between loss reports.'],
      [
        'stop_after_nan_steps',
        'Stop after NaN steps',
        INT,
        'Stop the run (failed, checkpoint kept) after this many logged steps in a row with a NaN loss; 0 only warns.',
      ],
    ],
  ],
  [
    'runtime',
    'Runtime',
    [
      ['seed', 'Seed', INT, 'For shuffling and initialisation.'],
      ['precision', 'Precision', oneOf(['auto', 'bf16', 'fp16', 'fp32']), 'auto: bf16 where the GPU supports it, else fp16.'],
      ['attn_implementation', 'Attention', oneOf(['auto', 'sdpa', 'flash_attention_2', 'eager']), 'flash_attention_2 needs the flash-attn package.'],
      ['gradient_checkpointing', 'Gradient checkpointing', BOOL, 'Recompute activations: much less memory, about 30 % slower.'],
    ],
  ],
];

/** Every `JobSettings` field, grouped as the Advanced section shows them. */
export const SETTING_GROUPS: ReadonlyArray<SettingGroup> = TABLE.map(([id, title, rows]) => ({
  id,
  title,
  fields: rows.map(([key, label, kind, help]) => ({ key, label, kind, help })),
}));

/** Every field, in display order. */
export const SETTING_FIELDS: ReadonlyArray<SettingField> = SETTING_GROUPS.flatMap((group) => group.fields);
