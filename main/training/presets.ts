/**
 * The trainer's defaults (mirroring resources/trainer/lora_trainer/config.py) and the three
 * presets a job can start from. A preset only sets the keys that trade speed against quality;
 * method, precision and attention stay on the trainer's automatic choices.
 */
import type { JobSettings, Preset, TrainerConfig, TrainingObjective } from '../../preload/contract';

/** Defaults of `TrainConfig` in config.py, key for key; keep the two in step. */
export const TRAINER_DEFAULTS: Readonly<Omit<TrainerConfig, 'base_model'>> = Object.freeze({
  method: 'lora',
  lora_r: 16,
  lora_alpha: 32,
  lora_dropout: 0,
  lora_target_modules: 'all-linear',
  max_seq_len: 2048,
  per_device_batch_size: 1,
  grad_accum: 1,
  learning_rate: 2e-4,
  lr_scheduler: 'cosine',
  warmup: 0.03,
  weight_decay: 0,
  max_grad_norm: 1,
  epochs: 1,
  max_steps: null,
  eval_steps: null,
  save_steps: 100,
  save_total_limit: 3,
  logging_steps: 10,
  seed: 42,
  gradient_checkpointing: true,
  completion_only: true,
  packing: false,
  precision: 'auto',
  attn_implementation: 'auto',
  resume_from_checkpoint: null,
  objective: 'sft',
  pref_beta: 0.1,
  overlong: 'truncate',
});

/**
 * Shared by every preset: LoRA on all linear layers (QLoRA paper: all layers matter more than
 * rank), alpha = 2·r, no dropout (TRAINER.md §1: dropout stores an extra activation copy),
 * cosine schedule with 3% warmup, gradient checkpointing (activations ÷ ~14 on Llama-3-8B for
 * ~30% more compute), loss on assistant tokens only, and an effective batch of 16 sequences.
 */
const COMMON = {
  lora_target_modules: 'all-linear',
  lora_dropout: 0,
  lr_scheduler: 'cosine',
  warmup: 0.03,
  gradient_checkpointing: true,
  completion_only: true,
} as const satisfies JobSettings;

/** What each preset sets on top of the trainer defaults. */
export const PRESETS: Readonly<Record<Preset, Readonly<JobSettings>>> = Object.freeze({
  /**
   * A first look in minutes: r8 halves adapter memory and optimizer time, 1,024 tokens fits most
   * single-turn chats, one epoch, lr 2e-4 (the QLoRA paper's value for 7B–13B).
   * Micro-batch 4 × accumulation 4 = 16 sequences per step.
   */
  fast: {
    ...COMMON,
    lora_r: 8,
    lora_alpha: 16,
    max_seq_len: 1024,
    per_device_batch_size: 4,
    grad_accum: 4,
    learning_rate: 2e-4,
    epochs: 1,
    save_steps: 200,
  },
  /**
   * The usual choice: the trainer's r16/alpha32 at 2,048 tokens for multi-turn chats, two epochs.
   * Micro-batch 2 × accumulation 8 keeps the tokens per micro-step equal to `fast`.
   */
  balanced: {
    ...COMMON,
    lora_r: 16,
    lora_alpha: 32,
    max_seq_len: 2048,
    per_device_batch_size: 2,
    grad_accum: 8,
    learning_rate: 2e-4,
    epochs: 2,
    save_steps: 100,
  },
  /**
   * Long contexts and more capacity: r32/alpha64 at 4,096 tokens, three epochs; lr 1e-4 because
   * the larger rank and more epochs make 2e-4 prone to overfitting. Micro-batch 1 × 16.
   */
  quality: {
    ...COMMON,
    lora_r: 32,
    lora_alpha: 64,
    max_seq_len: 4096,
    per_device_batch_size: 1,
    grad_accum: 16,
    learning_rate: 1e-4,
    epochs: 3,
    save_steps: 100,
  },
});

/**
 * What each training objective sets on top of a preset. Preference tuning moves an already
 * instruction-tuned model a little: beta 0.1 (the DPO paper's and TRL's default) and a learning
 * rate 4× below SFT's, as LoRA DPO recipes (Zephyr, TRL's examples) use 5e-5 where SFT uses 2e-4.
 * ORPO's beta is its odds-ratio weight λ (0.1 in the paper); KTO's loss is TRL's `kto`.
 */
export const OBJECTIVE_PRESETS: Readonly<Record<TrainingObjective, Readonly<JobSettings>>> = Object.freeze({
  sft: {},
  dpo: { pref_beta: 0.1, pref_loss_type: 'sigmoid', learning_rate: 5e-5 },
  orpo: { pref_beta: 0.1, learning_rate: 5e-5 },
  kto: { pref_beta: 0.1, pref_loss_type: 'kto', learning_rate: 5e-5 },
});
