"""``doctor``: one JSON object describing whether this Python environment can train.

Used by the app's preflight before a job is queued. It must never crash, even when torch is
missing or broken, so versions come from ``importlib.metadata`` (no import) and only torch is
imported, lazily, for CUDA/GPU/bf16 facts. ``problems`` block training (``ok`` is false when there
is any); ``warnings`` (an extra field, ignored by readers that don't know it) only limit options:
no GPU, no bitsandbytes (no QLoRA), no flash-attn (no padding-free packing).
"""

from __future__ import annotations

import importlib.metadata as md
import importlib.util
import platform
import sys
from typing import Any

# distribution name on PyPI → key in the JSON
PACKAGES = {
    "torch": "torch",
    "transformers": "transformers",
    "peft": "peft",
    "accelerate": "accelerate",
    "bitsandbytes": "bitsandbytes",
    "flash-attn": "flash_attn",
}
REQUIRED = ("torch", "transformers", "peft", "accelerate")
MIN_MAJOR = {"transformers": 5}


def _version(dist: str) -> str | None:
    try:
        return md.version(dist)
    except md.PackageNotFoundError:
        return None


def _major(version: str) -> int:
    try:
        return int(version.split(".")[0])
    except ValueError:
        return 0


def _gpu_facts(report: dict[str, Any], problems: list[str], warnings: list[str]) -> None:
    try:
        import torch
    except Exception as exc:  # noqa: BLE001 - ImportError, OSError from missing CUDA libs…
        if report["torch"] is None:
            problems.append("torch is not installed")
        else:
            problems.append(f"torch {report['torch']} is installed but fails to import: {exc}")
        report["torch"] = None
        return
    report["torch"] = getattr(torch, "__version__", report["torch"])
    report["cuda"] = getattr(torch.version, "cuda", None)
    try:
        if torch.cuda.is_available():
            for i in range(torch.cuda.device_count()):
                props = torch.cuda.get_device_properties(i)
                report["gpus"].append(
                    {"index": i, "name": props.name, "memory_total_mb": int(props.total_memory // 2**20)}
                )
            report["bf16"] = bool(torch.cuda.is_bf16_supported())
        elif report["cuda"] is None:
            warnings.append("this torch build has no CUDA support: training runs on CPU only")
        else:
            warnings.append("no CUDA GPU is visible (driver missing or CUDA_VISIBLE_DEVICES empty)")
    except Exception as exc:  # noqa: BLE001 - a broken driver must be reported, not crash
        problems.append(f"CUDA initialisation failed: {exc}")


def collect() -> dict[str, Any]:
    problems: list[str] = []
    warnings: list[str] = []
    report: dict[str, Any] = {"ok": False, "python": platform.python_version()}
    for dist, key in PACKAGES.items():
        report[key] = _version(dist)
    report.update({"cuda": None, "bf16": False, "gpus": []})
    if sys.version_info < (3, 10):
        problems.append(f"Python {report['python']} is too old: 3.10 or newer is needed")
    for dist in REQUIRED:
        key = PACKAGES[dist]
        if dist != "torch" and report[key] is None:
            problems.append(f"{dist} is not installed")
        elif dist in MIN_MAJOR and report[key] and _major(report[key]) < MIN_MAJOR[dist]:
            problems.append(f"{dist} {report[key]} is too old: {MIN_MAJOR[dist]}.x is needed")
    _gpu_facts(report, problems, warnings)
    if report["bitsandbytes"] is None or importlib.util.find_spec("bitsandbytes") is None:
        report["bitsandbytes"] = None
        warnings.append("bitsandbytes is not installed: QLoRA is unavailable")
    if report["flash_attn"] is None or importlib.util.find_spec("flash_attn") is None:
        report["flash_attn"] = None
        warnings.append("flash-attn is not installed: attention uses SDPA and packing is off")
    report["ok"] = not problems
    report["problems"] = problems
    report["warnings"] = warnings
    return report
