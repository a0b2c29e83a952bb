"""``merge --base DIR --adapter DIR --out DIR``: fold an adapter into its base model.

TRAINER.md section 5: load the base in bf16 (never 4-bit, even for a QLoRA adapter: merging into
quantized weights loses precision), ``PeftModel.from_pretrained`` → ``merge_and_unload(
safe_merge=True)`` (checks for NaNs before committing the merge) → ``save_pretrained``, and save the
tokenizer beside it so the folder is a complete model. Written to ``out.tmp`` then renamed, so a
crash never leaves a half model where the app expects a whole one.
"""

from __future__ import annotations

import os
import shutil
import time
from typing import Any

from .modeling import SetupError, check_model_dir

DTYPES = ("bf16", "fp16", "fp32")


def _dir_size(path: str) -> int:
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files)


def merge(base: str, adapter: str, out: str, dtype: str = "bf16") -> dict[str, Any]:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    check_model_dir(base)
    if not os.path.isfile(os.path.join(adapter, "adapter_config.json")):
        raise SetupError(f"{adapter} has no adapter_config.json: not a PEFT adapter folder")
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    started = time.time()
    torch_dtype = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[dtype]
    model = AutoModelForCausalLM.from_pretrained(base, dtype=torch_dtype, local_files_only=True)
    model = PeftModel.from_pretrained(model, adapter, local_files_only=True)
    merged = model.merge_and_unload(safe_merge=True)
    # the adapter folder carries the tokenizer used in training (with its pad token) when present
    tok_src = adapter if os.path.exists(os.path.join(adapter, "tokenizer_config.json")) else base
    tok = AutoTokenizer.from_pretrained(tok_src, local_files_only=True)

    out = os.path.abspath(out)
    tmp = out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    merged.save_pretrained(tmp)
    tok.save_pretrained(tmp)
    if os.path.exists(out):
        shutil.rmtree(out)
    os.replace(tmp, out)
    return {
        "ok": True,
        "out": out,
        "dtype": dtype,
        "size_bytes": _dir_size(out),
        "files": sorted(os.listdir(out)),
        "seconds": round(time.time() - started, 2),
    }
