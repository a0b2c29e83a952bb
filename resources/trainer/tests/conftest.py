"""Shared fixtures: the tiny offline model, run folders, and a runner for the real command.

Everything trains on CPU with 2 threads (the CI box has 2 cores). The tiny model is built once
per session; the main training run is also session-scoped because several tests inspect it
(protocol, loss curve, adapter, merge, resume comparison).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field

import pytest

TRAINER_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from tiny_model import CHATML_GENERATION, build_tiny_model  # noqa: E402

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("OMP_NUM_THREADS", "2")

try:
    import torch

    torch.set_num_threads(2)
except ImportError:  # pragma: no cover - the venv always has torch
    pass

QA = [
    ("What is the capital of France?", "Paris."),
    ("What is two plus two?", "Four."),
    ("Say hello.", "Hello! How can I help you today?"),
    ("What color is the sky?", "The sky is blue."),
    ("Name a fruit.", "An apple."),
]

# One config for the main run and the cancel/resume run: identical, so the resumed curve can be
# compared step by step with the uninterrupted one.
BASE_CONFIG = dict(
    method="lora",
    lora_r=8,
    lora_alpha=16,
    lora_dropout=0.0,
    lora_target_modules="all-linear",
    max_seq_len=128,
    per_device_batch_size=4,
    grad_accum=1,
    learning_rate=1e-2,
    lr_scheduler="cosine",
    warmup=0.05,
    max_steps=60,
    eval_steps=20,
    save_steps=20,
    save_total_limit=2,
    logging_steps=1,
    seed=1,
    gradient_checkpointing=True,
    completion_only=True,
    packing=False,
    resume_from_checkpoint=None,
)


def chat_row(q: str, a: str) -> dict:
    return {"messages": [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": q},
        {"role": "assistant", "content": a},
    ]}


def write_run(run_dir, base_model: str, n_train: int = 40, val: bool = True, **overrides) -> str:
    run_dir = str(run_dir)
    os.makedirs(run_dir, exist_ok=True)
    with open(os.path.join(run_dir, "train.jsonl"), "w") as f:
        for i in range(n_train):
            f.write(json.dumps(chat_row(*QA[i % len(QA)])) + "\n")
    if val:
        with open(os.path.join(run_dir, "val.jsonl"), "w") as f:
            for q, a in QA:
                f.write(json.dumps(chat_row(q, a)) + "\n")
    cfg = {**BASE_CONFIG, "base_model": base_model, **overrides}
    with open(os.path.join(run_dir, "config.json"), "w") as f:
        json.dump(cfg, f)
    return run_dir


def set_config(run_dir, **changes) -> None:
    path = os.path.join(str(run_dir), "config.json")
    with open(path) as f:
        cfg = json.load(f)
    cfg.update(changes)
    with open(path, "w") as f:
        json.dump(cfg, f)


def read_events(run_dir) -> list[dict]:
    with open(os.path.join(str(run_dir), "events.jsonl")) as f:
        return [json.loads(line) for line in f if line.strip()]


def subprocess_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = TRAINER_ROOT + os.pathsep + env.get("PYTHONPATH", "")
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", OMP_NUM_THREADS="2", PYTHONUNBUFFERED="1")
    return env


@dataclass
class Result:
    returncode: int
    stdout_lines: list[str]
    stderr: str
    events: list[dict] = field(default_factory=list)


def run_command(args: list[str], on_event=None, timeout: float = 240, pre: list[str] | None = None) -> Result:
    """Run ``python [pre…] -m lora_trainer args…`` (or ``pre`` alone when it runs its own driver).

    stdout is read line by line while the process runs so a test can react to events (e.g.
    request cancel at step 5); every stdout line must be a JSON object.
    """
    cmd = [sys.executable] + (pre if pre else ["-m", "lora_trainer"]) + args
    proc = subprocess.Popen(cmd, cwd=TRAINER_ROOT, env=subprocess_env(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    err_chunks: list[str] = []
    t = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True)
    t.start()
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    lines, events = [], []
    try:
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            try:
                ev = json.loads(line)
            except ValueError:
                continue  # asserted by the tests through stdout_lines
            events.append(ev)
            if on_event is not None:
                on_event(ev, proc)
        rc = proc.wait()
    finally:
        timer.cancel()
    t.join(10)
    return Result(rc, lines, "".join(err_chunks), events)


def train(run_dir, on_event=None, timeout: float = 240) -> Result:
    return run_command(["train", "--run-dir", str(run_dir)], on_event=on_event, timeout=timeout)


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> str:
    return build_tiny_model(str(tmp_path_factory.mktemp("tiny-llama")), CHATML_GENERATION)


@pytest.fixture(scope="session")
def trained_run(tmp_path_factory, tiny_model_dir):
    """The main, uninterrupted 60-step run: (run_dir, Result)."""
    run_dir = write_run(tmp_path_factory.mktemp("run-main"), tiny_model_dir)
    result = train(run_dir)
    if result.returncode != 0:
        pytest.fail(f"training failed (exit {result.returncode}):\n{result.stderr[-4000:]}")
    return run_dir, result
