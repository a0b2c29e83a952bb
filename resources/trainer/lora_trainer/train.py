"""``train --run-dir DIR``: one fine-tuning run, from config.json to ``DIR/adapter/``.

The run folder is the whole interface (ARCHITECTURE.md, "Training process model"): config.json,
train.jsonl and val.jsonl in; events.jsonl, checkpoints/checkpoint-N and adapter/ out.
Exit codes: 0 completed, 3 cancelled, 1 failed (always after an ``error`` event).

Plain ``transformers.Trainer`` + PEFT, not TRL (TRAINER.md section 1): TRL may be missing and
its SFTConfig changes defaults quietly. Resume relies on the Trainer's own checkpoint state
(optimizer, scheduler, RNG, global_step, token counter, data skip), so a resumed run continues
the same loss curve with the same step numbers.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
import time
import traceback
from typing import IO

from . import config as config_mod
from . import ranks
from .cancel import CancelFlag
from .events import EventWriter

EXIT_OK, EXIT_FAILED, EXIT_CANCELLED = 0, 1, 3
PEER_ERROR_WAIT_S = 3.0
CHECKPOINTS_DIR = "checkpoints"
ADAPTER_DIR = "adapter"
TRAINER_STATE = "trainer_state.json"


def _checkpoint_step(name: str) -> int | None:
    prefix = "checkpoint-"
    if name.startswith(prefix) and name[len(prefix):].isdigit():
        return int(name[len(prefix):])
    return None


def find_last_checkpoint(ckpt_dir: str) -> str | None:
    """The highest-step complete checkpoint (``trainer_state.json`` is written last)."""
    if not os.path.isdir(ckpt_dir):
        return None
    found = []
    for name in os.listdir(ckpt_dir):
        step = _checkpoint_step(name)
        path = os.path.join(ckpt_dir, name)
        if step is not None and os.path.isfile(os.path.join(path, TRAINER_STATE)):
            found.append((step, path))
    return max(found)[1] if found else None


def resolve_resume(value: str | None, run_dir: str) -> str | None:
    """``None`` → fresh start; ``"last"`` → newest checkpoint (fresh if none yet); else a path."""
    if value is None:
        return None
    if value == "last":
        return find_last_checkpoint(os.path.join(run_dir, CHECKPOINTS_DIR))
    path = value if os.path.isabs(value) else os.path.join(run_dir, value)
    if not os.path.isfile(os.path.join(path, TRAINER_STATE)):
        raise config_mod.ConfigError(f"resume_from_checkpoint: {value} is not a complete checkpoint")
    return path


def _supported_args(**kwargs) -> dict:
    """Keep only TrainingArguments fields this transformers version has (5.x renamed a few)."""
    from transformers import TrainingArguments

    fields = {f.name for f in dataclasses.fields(TrainingArguments)}
    if kwargs.get("train_sampling_strategy") == "group_by_length" and "train_sampling_strategy" not in fields:
        kwargs["group_by_length"] = True
    return {k: v for k, v in kwargs.items() if k in fields}


def ddp_grad_accum(grad_accum: int, world_size: int) -> int:
    """Accumulation steps per rank that keep ``per_device × grad_accum`` as the global batch.

    Under DDP every rank contributes a micro-batch per accumulation step, so the global batch is
    ``per_device × world_size × accum``. When ``grad_accum`` doesn't divide by the world size the
    batch can't be kept exactly: round up (never a smaller batch than asked), say so on stderr, and
    the ``started`` event reports the real ``effective_batch``.
    """
    if world_size <= 1:
        return grad_accum
    accum = -(-grad_accum // world_size)
    if grad_accum % world_size:
        print(f"[lora_trainer] grad_accum {grad_accum} is not a multiple of {world_size} processes: "
              f"{accum} per process, so the effective batch is {accum * world_size}× the per-device "
              f"batch instead of {grad_accum}×", file=sys.stderr)
    return accum


def build_training_args(cfg, rt, run_dir: str, has_val: bool, padding_free: bool, args_cls=None, **extra):
    """TrainingArguments of a run; ``args_cls`` (e.g. TRL's DPOConfig) and ``extra`` for preference.py."""
    from transformers import TrainingArguments

    args_cls = args_cls or TrainingArguments

    grad_accum = ddp_grad_accum(cfg.grad_accum, rt.world_size)
    kwargs = dict(
        output_dir=os.path.join(run_dir, CHECKPOINTS_DIR),
        per_device_train_batch_size=cfg.per_device_batch_size,
        per_device_eval_batch_size=cfg.eval_batch_size,
        gradient_accumulation_steps=grad_accum,
        learning_rate=cfg.learning_rate,
        lr_scheduler_type=cfg.lr_scheduler,
        warmup_steps=cfg.warmup,  # < 1 is read as a ratio of the total steps in v5
        weight_decay=cfg.weight_decay,
        max_grad_norm=cfg.max_grad_norm,
        num_train_epochs=cfg.epochs,
        max_steps=cfg.max_steps or -1,
        logging_steps=cfg.logging_steps,
        logging_first_step=True,
        eval_strategy="steps" if has_val else "no",
        eval_steps=(cfg.eval_steps or cfg.save_steps) if has_val else None,
        save_strategy="steps",
        save_steps=cfg.save_steps,
        save_total_limit=cfg.save_total_limit,
        save_only_model=False,  # resume needs optimizer, scheduler and RNG state
        seed=cfg.seed,
        data_seed=cfg.seed,
        bf16=rt.precision == "bf16",
        fp16=rt.precision == "fp16",
        use_cpu=rt.device == "cpu",
        gradient_checkpointing=cfg.gradient_checkpointing,
        gradient_checkpointing_kwargs={"use_reentrant": False} if cfg.gradient_checkpointing else None,
        prediction_loss_only=True,
        include_num_input_tokens_seen="non_padding",
        report_to="none",
        dataloader_num_workers=0,
        remove_unused_columns=False,
        disable_tqdm=False,  # tqdm writes to stderr; True would add PrinterCallback
    )
    if rt.tf32:
        kwargs["tf32"] = True
    if rt.world_size > 1:
        kwargs["ddp_find_unused_parameters"] = False
    if not padding_free and args_cls is TrainingArguments:
        kwargs["train_sampling_strategy"] = "group_by_length"
    kwargs.update(extra)
    fields = {f.name for f in dataclasses.fields(args_cls)}
    return args_cls(**{k: v for k, v in _supported_args(**kwargs).items() if k in fields} | {
        k: v for k, v in extra.items() if k in fields
    })


def build_collator(tok, padding_free: bool):
    if padding_free:
        from transformers import DataCollatorWithFlattening

        return DataCollatorWithFlattening(return_flash_attn_kwargs=True)
    from transformers import DataCollatorForSeq2Seq

    return DataCollatorForSeq2Seq(tok, label_pad_token_id=-100, pad_to_multiple_of=8, padding=True)


def save_adapter(trainer, run_dir: str) -> str:
    """Save the adapter (+ tokenizer) to ``adapter.tmp`` and rename it to ``adapter``.

    The rename makes ``adapter/`` appear only when complete, so the app never registers half of
    one after a crash during saving.
    """
    final = os.path.join(run_dir, ADAPTER_DIR)
    tmp = final + ".tmp"
    main = trainer.is_world_process_zero()
    if main:  # other ranks never touch the folder: a late rmtree would race rank 0's writes
        shutil.rmtree(tmp, ignore_errors=True)
    trainer.save_model(tmp)  # every rank calls it (sharded setups gather); only rank 0 writes
    if main:
        shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)
    return ADAPTER_DIR


def _is_oom(exc: BaseException) -> bool:
    torch = sys.modules.get("torch")
    oom_type = getattr(torch, "OutOfMemoryError", None) if torch else None
    return bool(oom_type and isinstance(exc, oom_type)) or "out of memory" in str(exc).lower()


def _cancelled(writer: EventWriter, cancel: CancelFlag, step: int) -> int:
    peer = ranks.first_peer_error(os.path.dirname(writer.path), wait_s=0)
    if peer is not None:  # torchrun's SIGTERM after a peer crashed is not a user's cancel
        _emit_error(writer, peer, own=None)
        return EXIT_FAILED
    writer.emit("done", status="cancelled", step=step, adapter_path=None)
    cancel.consume_file()
    return EXIT_CANCELLED


def _emit_error(writer: EventWriter, peer: dict | None, own: BaseException | None) -> None:
    """The ``error`` event: the failing peer rank's error when one failed first, else our own."""
    if peer is not None:
        own_line = f" (rank 0 then stopped with {type(own).__name__}: {own})" if own is not None else ""
        writer.emit("error", message=f"rank {peer['rank']}: {peer['message']}{own_line}",
                    traceback=peer["traceback"], oom=bool(peer["oom"]), rank=peer["rank"])
        return
    assert own is not None
    writer.emit("error", message=f"{type(own).__name__}: {own}", traceback=traceback.format_exc(),
                oom=_is_oom(own), rank=0)


def run(run_dir: str, events_stream: IO[str] | None) -> int:
    """Run training; returns the process exit code. Never raises (errors become events)."""
    run_dir = os.path.abspath(run_dir)
    rank = int(os.environ.get("RANK", "0"))
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    if rank == 0 and world_size > 1:
        ranks.clear_peer_errors(run_dir)  # a resumed run must not inherit the last run's failures
    writer = EventWriter(run_dir, events_stream, enabled=rank == 0)
    cancel = CancelFlag(run_dir)
    cancel.install(read_stdin=rank == 0)
    try:
        cfg = config_mod.load(run_dir)
        resume = resolve_resume(cfg.resume_from_checkpoint, run_dir)
        start_step = 0
        if resume:
            start_step = _checkpoint_step(os.path.basename(resume)) or 0
        if cancel.is_set():
            return _cancelled(writer, cancel, start_step)
        return _train(cfg, run_dir, resume, writer, cancel, start_step)
    except BaseException as exc:  # noqa: BLE001 - every failure must reach the app as an event
        if isinstance(exc, KeyboardInterrupt) and cancel.is_set():
            return _cancelled(writer, cancel, 0)
        if rank != 0:  # only rank 0 writes events: hand our error to it through the run folder
            ranks.write_peer_error(run_dir, rank, exc, traceback.format_exc(), _is_oom(exc))
            return EXIT_FAILED
        # Under DDP, rank 0 usually fails *because* a peer died (gloo/NCCL "connection closed"):
        # give the peer a moment to leave its error, which is the one the user needs to see.
        failed_at = time.time()
        peer = ranks.first_peer_error(run_dir, PEER_ERROR_WAIT_S, before=failed_at) if world_size > 1 else None
        _emit_error(writer, peer, exc)
        return EXIT_FAILED
    finally:
        writer.close()
        _leave_process_group()


def _leave_process_group() -> None:
    """Tear torch.distributed down before the interpreter exits (every rank, every outcome).

    Left to interpreter shutdown, gloo's worker threads can still be joinable when the C++ runtime
    destroys them, and a rank whose run *completed* aborts with "terminate called without an active
    exception" (SIGABRT): torchrun then reports the whole run as failed. Seen once under load on the
    Slurm path. ``destroy_process_group`` is local (no collective), so it cannot hang on a dead peer.
    """
    dist = sys.modules.get("torch.distributed")
    if dist is None:
        return
    try:
        if dist.is_available() and dist.is_initialized():
            dist.destroy_process_group()
    except Exception:  # noqa: BLE001 - best effort: the run's outcome is already decided and reported
        pass


def _train(cfg, run_dir, resume, writer: EventWriter, cancel: CancelFlag, start_step: int) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    writer.emit("phase", phase="loading_model")
    import torch  # noqa: F401 - heavy imports only once the run is really starting
    from transformers import Trainer, set_seed

    from . import modeling
    from .callbacks import EventCallback
    from .data import load_splits
    from .labels import Labeler

    set_seed(cfg.seed)
    if cfg.objective != "sft":
        from .preference import train_preference

        return train_preference(cfg, run_dir, resume, writer, cancel, start_step)
    modeling.check_model_dir(cfg.base_model)
    rt = modeling.detect_runtime(cfg)
    tok = modeling.load_tokenizer(cfg.base_model)
    model = modeling.load_model(cfg, rt)
    model, trainable = modeling.wrap_peft(model, cfg)
    if cancel.is_set():
        return _cancelled(writer, cancel, start_step)

    writer.emit("phase", phase="tokenizing")
    labeler = Labeler(tok, cfg.max_seq_len, completion_only=cfg.completion_only,
                      drop_overlong=cfg.overlong == "drop")
    train, val = load_splits(run_dir, labeler)
    padding_free = cfg.packing and rt.attn_implementation == "flash_attention_2"
    if cfg.packing and not padding_free:
        print("[lora_trainer] packing needs flash-attention; training with padding instead "
              "(group_by_length keeps the waste small)", file=sys.stderr)
    print(f"[lora_trainer] {len(train.dataset)} train examples ({train.dropped} dropped), "
          f"{len(val.dataset) if val else 0} val; labels: {labeler.mode}; precision {rt.precision}; "
          f"attention {rt.attn_implementation}", file=sys.stderr)
    if cancel.is_set():
        return _cancelled(writer, cancel, start_step)

    args = build_training_args(cfg, rt, run_dir, val is not None, padding_free)
    callback = EventCallback(
        writer,
        cancel,
        num_train_samples=len(train.dataset),
        trainable_params=trainable,
        precision=rt.precision,
        world_size=rt.world_size,
        effective_batch=cfg.per_device_batch_size * rt.world_size * args.gradient_accumulation_steps,
        checkpoint_prefix=CHECKPOINTS_DIR,
    )
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=train.dataset,
        eval_dataset=val.dataset if val else None,
        data_collator=build_collator(tok, padding_free),
        processing_class=tok,
        callbacks=[callback],
    )
    return train_and_save(trainer, callback, resume, run_dir, writer, cancel)


def train_and_save(trainer, callback, resume, run_dir: str, writer: EventWriter, cancel: CancelFlag) -> int:
    """Train (SFT or preference), then save the adapter and say ``done``; or say ``cancelled``."""
    trainer.train(resume_from_checkpoint=resume)
    step = trainer.state.global_step
    if callback.cancelled:
        return _cancelled(writer, cancel, step)

    writer.emit("phase", phase="saving")
    adapter = save_adapter(trainer, run_dir)
    writer.emit("done", status="completed", step=step, adapter_path=adapter)
    cancel.consume_file()  # a cancel that came after the last step is moot
    return EXIT_OK

