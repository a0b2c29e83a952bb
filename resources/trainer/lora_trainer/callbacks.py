"""The Trainer callback that turns training progress into protocol events and honours cancel.

Hook order in transformers 5.x (checked in ``Trainer._run_epoch``): ``on_step_begin`` once per
optimizer step, ``on_step_end`` right after ``global_step`` is incremented, then
``_maybe_log_save_evaluate`` runs ``on_log`` → ``on_evaluate`` → save + ``on_save``. So setting
``should_save`` and ``should_training_stop`` in ``on_step_end`` makes the Trainer write
``checkpoint-N`` for that very step and then leave the loop: that is the whole cancel mechanism
(``enable_jit_checkpoint`` is avoided on purpose, it saves from a background thread on a timer).

Throughput: tokens/s is the change in ``num_input_tokens_seen`` (non-padding tokens, summed over
ranks) over the wall time between two logs. ETA is the mean wall time per step of this session,
skipping the first 3 steps (compilation, allocator warm-up), times the steps left; it includes
the time spent in evaluation and saving, which is what the user waits for.
"""

from __future__ import annotations

import math
import time

from transformers import TrainerCallback

from .cancel import CancelFlag
from .events import EventWriter

WARMUP_STEPS_FOR_ETA = 3


def _any_rank(flag: bool, device) -> bool:
    """All-reduce(MAX) of a bool under DDP so every rank stops at the same step."""
    import torch
    import torch.distributed as dist

    if not (dist.is_available() and dist.is_initialized()):
        return flag
    t = torch.tensor([1 if flag else 0], device=device, dtype=torch.int32)
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return bool(t.item())


def _gpu_mem_gb() -> float | None:
    """Peak memory allocated by torch on this process's GPU, in GiB (None on CPU)."""
    import torch

    if not torch.cuda.is_available():
        return None
    return round(torch.cuda.max_memory_allocated() / 2**30, 3)


class EventCallback(TrainerCallback):
    def __init__(
        self,
        writer: EventWriter,
        cancel: CancelFlag,
        *,
        num_train_samples: int,
        trainable_params: int,
        precision: str,
        world_size: int,
        effective_batch: int | None = None,
        checkpoint_prefix: str = "checkpoints",
    ):
        self.writer = writer
        self.cancel = cancel
        self.num_train_samples = num_train_samples
        self.trainable_params = trainable_params
        self.precision = precision
        self.world_size = world_size
        self.effective_batch = effective_batch
        self.checkpoint_prefix = checkpoint_prefix
        self.cancelled = False
        self._step_started = 0.0
        self._step_times: list[float] = []  # compute time of the steps since the last log
        self._session_first_step = 0
        self._eta_anchor: tuple[int, float] | None = None  # (step, time) after the warm-up steps
        self._last_log_time = 0.0
        self._last_log_tokens = 0

    # -- helpers -----------------------------------------------------------------------------
    def _emit(self, state, type_: str, **fields) -> None:
        if state.is_world_process_zero:
            self.writer.emit(type_, **fields)

    def _eta(self, state) -> float | None:
        if self._eta_anchor is None:
            return None
        step0, t0 = self._eta_anchor
        done = state.global_step - step0
        if done <= 0:
            return None
        per_step = (time.time() - t0) / done
        return round(per_step * max(0, state.max_steps - state.global_step), 1)

    # -- hooks -------------------------------------------------------------------------------
    def on_train_begin(self, args, state, control, **kwargs):
        now = time.time()
        self._session_first_step = state.global_step
        self._last_log_time = now
        self._last_log_tokens = state.num_input_tokens_seen or 0
        self._emit(state, "phase", phase="training")
        self._emit(
            state,
            "started",
            max_steps=state.max_steps,
            num_train_samples=self.num_train_samples,
            trainable_params=self.trainable_params,
            world_size=self.world_size,
            effective_batch=self.effective_batch,
            precision=self.precision,
            resumed_from_step=state.global_step or None,
        )

    def on_step_begin(self, args, state, control, **kwargs):
        self._step_started = time.perf_counter()

    def on_step_end(self, args, state, control, **kwargs):
        self._step_times.append(time.perf_counter() - self._step_started)
        if state.global_step - self._session_first_step == WARMUP_STEPS_FOR_ETA:
            self._eta_anchor = (state.global_step, time.time())
        if _any_rank(self.cancel.is_set(), args.device):
            self.cancelled = True
            control.should_save = True
            control.should_training_stop = True
        return control

    def on_log(self, args, state, control, logs=None, **kwargs):
        logs = logs or {}
        if "loss" not in logs:  # the end-of-training summary (train_loss, train_runtime…)
            return
        now = time.time()
        tokens = logs.get("num_input_tokens_seen", state.num_input_tokens_seen) or 0
        dt = now - self._last_log_time
        tokens_per_s = (tokens - self._last_log_tokens) / dt if dt > 0 else None
        step_time = sum(self._step_times) / len(self._step_times) if self._step_times else None
        self._last_log_time, self._last_log_tokens, self._step_times = now, tokens, []
        self._emit(
            state,
            "log",
            step=state.global_step,
            epoch=round(state.epoch, 4) if state.epoch is not None else None,
            loss=logs.get("loss"),
            learning_rate=logs.get("learning_rate"),
            grad_norm=logs.get("grad_norm"),
            tokens_seen=int(tokens),
            tokens_per_s=round(tokens_per_s, 1) if tokens_per_s is not None else None,
            eta_s=self._eta(state),
            gpu_mem_gb=_gpu_mem_gb(),
            step_time_s=round(step_time, 4) if step_time is not None else None,
        )

    def on_evaluate(self, args, state, control, metrics=None, **kwargs):
        loss = (metrics or {}).get("eval_loss")
        ppl = None
        if isinstance(loss, (int, float)) and math.isfinite(loss):
            ppl = math.exp(loss) if loss < 700 else None
        self._emit(state, "eval", step=state.global_step, eval_loss=loss, perplexity=ppl)

    def on_save(self, args, state, control, **kwargs):
        self._emit(
            state,
            "checkpoint",
            step=state.global_step,
            path=f"{self.checkpoint_prefix}/checkpoint-{state.global_step}",
            reason="cancel" if self.cancelled else "scheduled",
        )
