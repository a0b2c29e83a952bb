"""Preference tuning (DPO, ORPO, KTO) with LoRA/QLoRA through TRL.

Rows come from the app's canonical preference forms: ``{"prompt": [...], "chosen": [...],
"rejected": [...]}`` for DPO and ORPO, ``{"prompt": [...], "completion": [...], "label": bool}``
for KTO (preference pairs also train KTO: each pair becomes a desirable and an undesirable row,
as TRL's ``unpair_preference_dataset`` does). TRL renders them with the model's chat template.

The reference model of DPO and KTO is the base model itself: the policy is a PEFT model, so TRL
computes reference log-probabilities with the adapter disabled (no second copy in memory; the
app's VRAM estimate adds nothing for it). ORPO needs no reference.

Everything else is the SFT path's: the same run folder, TrainingArguments (precision, checkpoints,
resume), events and cancel. TRL's reward metrics (``rewards/chosen``, ``rewards/rejected``,
``rewards/margins``, ``rewards/accuracies``) ride on the protocol's ``log`` events.
"""

from __future__ import annotations

import os
import sys

from .callbacks import EventCallback
from .data import DataError, read_jsonl

#: TRL's logged metrics that the app charts, passed through on ``log`` events.
REWARD_KEYS = ("rewards/chosen", "rewards/rejected", "rewards/margins", "rewards/accuracies")


def _messages(messages: list[dict]) -> list[dict]:
    """Messages without the keys a chat template does not expect empty."""
    return [{k: v for k, v in m.items() if v is not None} for m in messages]


def trl_rows(rows: list[dict], objective: str, name: str) -> list[dict]:
    """The rows as TRL's conversational preference (or unpaired) dataset for ``objective``."""
    out = []
    for n, row in enumerate(rows, 1):
        pair = "chosen" in row and "rejected" in row
        judged = "completion" in row and "label" in row
        if "prompt" not in row or not (pair or judged):
            raise DataError(
                f"{name} row {n}: {objective.upper()} trains on preference rows (prompt + chosen + rejected"
                + (", or prompt + completion + label" if objective == "kto" else "")
                + "); this row is not one: freeze a preference dataset, or train it with SFT"
            )
        if row.get("tools"):
            raise DataError(f"{name} row {n}: preference rows with tools are not supported yet")
        prompt = _messages(row["prompt"])
        if objective == "kto":
            if pair:
                out.append({"prompt": prompt, "completion": _messages(row["chosen"]), "label": True})
                out.append({"prompt": prompt, "completion": _messages(row["rejected"]), "label": False})
            else:
                out.append({"prompt": prompt, "completion": _messages(row["completion"]), "label": bool(row["label"])})
        elif pair:
            out.append({"prompt": prompt, "chosen": _messages(row["chosen"]), "rejected": _messages(row["rejected"])})
        else:
            raise DataError(
                f"{name} row {n}: {objective.upper()} needs chosen and rejected answers; "
                "rows with one labelled answer train with KTO"
            )
    return out


def load_preference_splits(run_dir: str, objective: str):
    """(train, val or None) as ``datasets.Dataset`` for TRL."""
    from datasets import Dataset

    train_path = os.path.join(run_dir, "train.jsonl")
    if not os.path.exists(train_path):
        raise DataError(f"{train_path} not found")
    train = trl_rows(read_jsonl(train_path), objective, "train.jsonl")
    if not train:
        raise DataError("train.jsonl: no rows")
    val_path = os.path.join(run_dir, "val.jsonl")
    val = trl_rows(read_jsonl(val_path), objective, "val.jsonl") if os.path.exists(val_path) else []
    return Dataset.from_list(train), (Dataset.from_list(val) if val else None)


class PreferenceCallback(EventCallback):
    """EventCallback whose ``log`` events also carry TRL's reward metrics."""

    _rewards: dict = {}

    def on_log(self, args, state, control, logs=None, **kwargs):
        self._rewards = {k: (logs or {})[k] for k in REWARD_KEYS if k in (logs or {})}
        super().on_log(args, state, control, logs=logs, **kwargs)

    def _emit(self, state, type_: str, **fields) -> None:
        if type_ == "log":
            fields.update(self._rewards)
        super()._emit(state, type_, **fields)


def _trainer_classes(objective: str):
    """(config class, trainer class) of TRL for an objective; ORPO lives in trl.experimental in TRL 1.x."""
    if objective == "dpo":
        from trl import DPOConfig, DPOTrainer

        return DPOConfig, DPOTrainer
    if objective == "kto":
        try:
            from trl import KTOConfig, KTOTrainer
        except ImportError:
            from trl.experimental.kto import KTOConfig, KTOTrainer
        return KTOConfig, KTOTrainer
    try:
        from trl import ORPOConfig, ORPOTrainer
    except ImportError:
        from trl.experimental.orpo import ORPOConfig, ORPOTrainer
    return ORPOConfig, ORPOTrainer


def train_preference(cfg, run_dir, resume, writer, cancel, start_step: int) -> int:
    """The preference run: same events, checkpoints and exit codes as train._train."""
    from . import modeling
    from .train import CHECKPOINTS_DIR, _cancelled, build_training_args, train_and_save

    try:
        config_cls, trainer_cls = _trainer_classes(cfg.objective)
    except ImportError as exc:
        raise RuntimeError(
            f"{cfg.objective.upper()} needs TRL (pip install 'trl>=1.0,<2'), which this Python "
            f"environment lacks: {exc}"
        ) from exc
    modeling.check_model_dir(cfg.base_model)
    rt = modeling.detect_runtime(cfg)
    tok = modeling.load_tokenizer(cfg.base_model)
    model = modeling.load_model(cfg, rt)
    model, trainable = modeling.wrap_peft(model, cfg)
    if cancel.is_set():
        return _cancelled(writer, cancel, start_step)

    writer.emit("phase", phase="tokenizing")
    train, val = load_preference_splits(run_dir, cfg.objective)
    print(f"[lora_trainer] {cfg.objective}: {len(train)} train rows, {len(val) if val else 0} val; "
          f"beta {cfg.pref_beta}; precision {rt.precision}", file=sys.stderr)
    extra = {"beta": cfg.pref_beta, "max_length": cfg.max_seq_len, "include_num_input_tokens_seen": "no"}
    if cfg.pref_loss_type:
        extra["loss_type"] = cfg.pref_loss_type
    args = build_training_args(cfg, rt, run_dir, val is not None, False, args_cls=config_cls, **extra)
    callback = PreferenceCallback(
        writer,
        cancel,
        num_train_samples=len(train),
        trainable_params=trainable,
        precision=rt.precision,
        world_size=rt.world_size,
        checkpoint_prefix=CHECKPOINTS_DIR,
    )
    trainer = trainer_cls(
        model=model,
        args=args,
        train_dataset=train,
        eval_dataset=val,
        processing_class=tok,
        callbacks=[callback],
    )
    return train_and_save(trainer, callback, resume, run_dir, writer, cancel)
