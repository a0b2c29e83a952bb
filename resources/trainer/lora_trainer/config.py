"""The resolved job config (``<run>/config.json``): schema, defaults and validation.

The app writes the fully resolved config; the trainer still fills defaults and validates every
field up front, so that a bad value fails in a second with a clear ``error`` event instead of
an exception deep inside transformers an hour later. Unknown keys are ignored (the app may store
extra bookkeeping there) but listed on stderr, which catches typos. The schema is documented in
``resources/trainer/README.md``; keep the two in step.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from dataclasses import dataclass, field
from typing import Any

METHODS = ("lora", "qlora", "dora")
OBJECTIVES = ("sft", "dpo", "orpo", "kto")  # dpo/orpo/kto: preference.py, through TRL
SCHEDULERS = (
    "linear", "cosine", "cosine_with_restarts", "polynomial", "constant",
    "constant_with_warmup", "inverse_sqrt", "reduce_lr_on_plateau", "cosine_with_min_lr",
    "warmup_stable_decay",
)
PRECISIONS = ("auto", "bf16", "fp16", "fp32")
ATTENTION = ("auto", "sdpa", "flash_attention_2", "eager")


class ConfigError(ValueError):
    """The config file is missing, unreadable or has invalid values."""


@dataclass
class TrainConfig:
    base_model: str
    method: str = "lora"
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.0
    lora_target_modules: Any = "all-linear"  # "all-linear" or a list of module names
    max_seq_len: int = 2048
    per_device_batch_size: int = 1
    per_device_eval_batch_size: int | None = None  # None: same as per_device_batch_size
    grad_accum: int = 1
    learning_rate: float = 2e-4
    lr_scheduler: str = "cosine"
    warmup: float = 0.03  # ratio of the total steps
    weight_decay: float = 0.0
    max_grad_norm: float = 1.0
    epochs: float = 1.0
    max_steps: int | None = None  # > 0 overrides epochs
    eval_steps: int | None = None  # None: same as save_steps
    save_steps: int = 100
    save_total_limit: int | None = 3
    logging_steps: int = 10
    seed: int = 42
    gradient_checkpointing: bool = True
    completion_only: bool = True
    packing: bool = False
    resume_from_checkpoint: str | None = None  # None | "last" | path (absolute or run-relative)
    precision: str = "auto"
    attn_implementation: str = "auto"
    overlong: str = "truncate"  # rows longer than max_seq_len: "truncate" or "drop"
    objective: str = "sft"
    pref_beta: float = 0.1  # DPO/KTO beta; ORPO's odds-ratio weight (lambda)
    pref_loss_type: str | None = None  # TRL's loss_type; None: TRL's default for the objective
    stop_after_nan_steps: int = 0  # enforced by the app's supervisor, not here (0: only warn)
    extra: dict = field(default_factory=dict)  # unknown keys, kept for the record

    @property
    def eval_batch_size(self) -> int:
        return self.per_device_eval_batch_size or self.per_device_batch_size


def _check(errors: list[str], ok: bool, msg: str) -> None:
    if not ok:
        errors.append(msg)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def from_dict(raw: dict) -> TrainConfig:
    """Build a validated TrainConfig; raises ConfigError listing every problem found."""
    if not isinstance(raw, dict):
        raise ConfigError("config.json must hold a JSON object")
    names = {f.name for f in dataclasses.fields(TrainConfig)} - {"extra"}
    known = {k: v for k, v in raw.items() if k in names and v is not None}
    extra = {k: v for k, v in raw.items() if k not in names}
    if "base_model" not in known:
        raise ConfigError("config.json: base_model is required (absolute path to a local model folder)")
    cfg = TrainConfig(**known, extra=extra)
    e: list[str] = []
    _check(e, isinstance(cfg.base_model, str) and os.path.isabs(cfg.base_model),
           "base_model must be an absolute path")
    _check(e, cfg.method in METHODS, f"method must be one of {METHODS}")
    _check(e, cfg.overlong in ("truncate", "drop"), 'overlong must be "truncate" or "drop"')
    _check(e, cfg.objective in OBJECTIVES, f"objective must be one of {OBJECTIVES}")
    _check(e, _is_num(cfg.pref_beta) and cfg.pref_beta > 0, "pref_beta must be > 0")
    _check(e, cfg.pref_loss_type is None or isinstance(cfg.pref_loss_type, str), "pref_loss_type must be a string")
    for name in ("lora_r", "lora_alpha", "max_seq_len", "per_device_batch_size", "grad_accum",
                 "save_steps", "logging_steps"):
        _check(e, _is_int(getattr(cfg, name)) and getattr(cfg, name) >= 1, f"{name} must be an integer >= 1")
    for name in ("per_device_eval_batch_size", "eval_steps", "max_steps", "save_total_limit"):
        v = getattr(cfg, name)
        _check(e, v is None or (_is_int(v) and v >= 1), f"{name} must be null or an integer >= 1")
    _check(e, _is_int(cfg.seed), "seed must be an integer")
    _check(e, _is_num(cfg.lora_dropout) and 0 <= cfg.lora_dropout < 1, "lora_dropout must be in [0, 1)")
    _check(e, _is_num(cfg.learning_rate) and cfg.learning_rate > 0, "learning_rate must be > 0")
    _check(e, _is_num(cfg.warmup) and 0 <= cfg.warmup < 1, "warmup is a ratio in [0, 1)")
    _check(e, _is_num(cfg.weight_decay) and cfg.weight_decay >= 0, "weight_decay must be >= 0")
    _check(e, _is_num(cfg.max_grad_norm) and cfg.max_grad_norm >= 0, "max_grad_norm must be >= 0")
    _check(e, _is_num(cfg.epochs) and cfg.epochs > 0, "epochs must be > 0")
    _check(e, cfg.lr_scheduler in SCHEDULERS, f"lr_scheduler must be one of {SCHEDULERS}")
    _check(e, cfg.precision in PRECISIONS, f"precision must be one of {PRECISIONS}")
    _check(e, cfg.attn_implementation in ATTENTION, f"attn_implementation must be one of {ATTENTION}")
    tm = cfg.lora_target_modules
    _check(e, tm == "all-linear" or (isinstance(tm, list) and tm and all(isinstance(x, str) for x in tm)),
           'lora_target_modules must be "all-linear" or a non-empty list of module names')
    for name in ("gradient_checkpointing", "completion_only", "packing"):
        _check(e, isinstance(getattr(cfg, name), bool), f"{name} must be true or false")
    r = cfg.resume_from_checkpoint
    _check(e, r is None or isinstance(r, str), 'resume_from_checkpoint must be null, "last" or a path')
    if e:
        raise ConfigError("invalid config.json: " + "; ".join(e))
    return cfg


def load(run_dir: str) -> TrainConfig:
    """Read and validate ``<run_dir>/config.json``."""
    path = os.path.join(run_dir, "config.json")
    try:
        with open(path, encoding="utf-8") as f:
            raw = json.load(f)
    except FileNotFoundError:
        raise ConfigError(f"{path} not found") from None
    except ValueError as exc:
        raise ConfigError(f"{path} is not valid JSON: {exc}") from None
    cfg = from_dict(raw)
    if cfg.extra:
        print(f"[lora_trainer] config.json: ignoring unknown keys {sorted(cfg.extra)}", file=sys.stderr)
    return cfg
