"""Loading the base model and tokenizer offline, and wrapping the model with LoRA/QLoRA/DoRA.

Choices (TRAINER.md section 1):
- always ``local_files_only=True`` (and HF_HUB_OFFLINE, set by the CLI): a run must never wait
  on, or silently depend on, the network;
- precision: bf16 where the GPU supports it, else fp16 on CUDA, fp32 on CPU; LoRA weights stay
  fp32 (PEFT's ``autocast_adapter_dtype``), which also makes fp16 + GradScaler valid;
- attention: flash_attention_2 only if installed and usable, else SDPA; never eager by default;
- QLoRA needs bitsandbytes: checked with ``find_spec`` before loading, so the user gets a clear
  message instead of an ImportError from the middle of ``from_pretrained``;
- gradient checkpointing with PEFT needs ``enable_input_require_grads()`` (transformers#42489).
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from typing import Any

from .config import TrainConfig


class SetupError(RuntimeError):
    """The environment can't run this config (e.g. QLoRA without bitsandbytes)."""


@dataclass
class Runtime:
    """What the hardware and environment decided for this run."""

    device: str  # "cuda" | "cpu"
    precision: str  # "bf16" | "fp16" | "fp32"
    attn_implementation: str
    flash_attn: bool
    local_rank: int
    world_size: int
    tf32: bool


def detect_runtime(cfg: TrainConfig) -> Runtime:
    import torch

    cuda = torch.cuda.is_available()
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    if cfg.precision != "auto":
        precision = cfg.precision
        if precision == "fp16" and not cuda:
            raise SetupError("precision fp16 needs a CUDA GPU; use fp32 (or auto) on CPU")
        if precision == "bf16" and cuda and not torch.cuda.is_bf16_supported():
            raise SetupError("this GPU does not support bf16; use fp16 (or auto)")
    elif cuda:
        precision = "bf16" if torch.cuda.is_bf16_supported() else "fp16"
    else:
        precision = "fp32"

    flash = False
    if cuda:
        try:
            from transformers.utils import is_flash_attn_2_available

            flash = bool(is_flash_attn_2_available())
        except ImportError:
            flash = False
    attn = cfg.attn_implementation
    if attn == "auto":
        attn = "flash_attention_2" if flash and precision in ("bf16", "fp16") else "sdpa"
    elif attn == "flash_attention_2" and not flash:
        raise SetupError("attn_implementation flash_attention_2 requested but flash-attn is not usable here")

    tf32 = cuda and torch.cuda.get_device_capability(local_rank if cuda else 0)[0] >= 8
    if cfg.method == "qlora":
        if not cuda:
            raise SetupError("QLoRA (4-bit) needs a CUDA GPU; choose LoRA or DoRA to train on CPU")
        if importlib.util.find_spec("bitsandbytes") is None:
            raise SetupError(
                "QLoRA needs the bitsandbytes package, which is not installed in this Python "
                "environment: install it (pip install bitsandbytes) or choose LoRA/DoRA in bf16"
            )
    return Runtime("cuda" if cuda else "cpu", precision, attn, flash, local_rank, world_size, tf32)


def torch_dtype(precision: str):
    import torch

    return {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[precision]


def check_model_dir(path: str) -> None:
    if not os.path.isdir(path):
        raise SetupError(f"base model folder not found: {path}")
    if not os.path.exists(os.path.join(path, "config.json")):
        raise SetupError(f"{path} has no config.json: not a Hugging Face model folder")


def load_tokenizer(path: str):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(path, local_files_only=True)
    if tok.pad_token is None:
        # Padding positions are masked out of attention and labels, so reusing EOS is safe.
        tok.pad_token = tok.eos_token if tok.eos_token is not None else tok.unk_token
    if tok.pad_token is None:
        raise SetupError("the tokenizer has neither a pad, an eos nor an unk token to pad with")
    tok.padding_side = "right"
    return tok


def load_model(cfg: TrainConfig, rt: Runtime):
    """The base model, frozen and ready for ``get_peft_model``."""
    import torch
    from transformers import AutoModelForCausalLM

    kwargs: dict[str, Any] = {
        "dtype": torch_dtype(rt.precision),
        "attn_implementation": rt.attn_implementation,
        "local_files_only": True,
    }
    if cfg.method == "qlora":
        from transformers import BitsAndBytesConfig

        compute = torch.bfloat16 if rt.precision == "bf16" else torch.float16
        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=compute,
        )
        kwargs["dtype"] = compute
        kwargs["device_map"] = {"": rt.local_rank}
    model = AutoModelForCausalLM.from_pretrained(cfg.base_model, **kwargs)
    model.config.use_cache = False
    return model


def wrap_peft(model, cfg: TrainConfig):
    """Add the LoRA/DoRA adapter; returns (peft_model, trainable_params)."""
    from peft import LoraConfig, get_peft_model

    lcfg = LoraConfig(
        r=cfg.lora_r,
        lora_alpha=cfg.lora_alpha,
        lora_dropout=cfg.lora_dropout,
        target_modules=cfg.lora_target_modules,
        bias="none",
        task_type="CAUSAL_LM",
        use_dora=cfg.method == "dora",
    )
    model = get_peft_model(model, lcfg)
    if cfg.gradient_checkpointing:
        model.enable_input_require_grads()
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return model, trainable
