"""Training for real through ``python -m lora_trainer train`` on the tiny CPU model."""

import json
import math
import os
import sys

from conftest import BASE_CONFIG, TRAINER_ROOT, read_events, run_command, train, write_run

PROTOCOL_TYPES = {"phase", "started", "log", "eval", "checkpoint", "done", "error"}
REQUIRED = {
    "phase": {"phase"},
    "started": {"max_steps", "num_train_samples", "trainable_params", "world_size", "precision"},
    "log": {"step", "epoch", "loss", "learning_rate", "grad_norm", "tokens_seen", "tokens_per_s", "eta_s",
            "gpu_mem_gb", "step_time_s"},
    "eval": {"step", "eval_loss", "perplexity"},
    "checkpoint": {"step", "path"},
    "done": {"status", "step", "adapter_path"},
    "error": {"message", "traceback", "oom"},
}


def assert_protocol(lines: list[str]) -> list[dict]:
    """Every line is one JSON event of the protocol; seq strictly increasing; no NaN."""
    events = []
    for line in lines:
        assert "NaN" not in line and "Infinity" not in line
        ev = json.loads(line)
        assert ev["v"] == 1 and isinstance(ev["seq"], int) and isinstance(ev["ts"], (int, float))
        assert ev["type"] in PROTOCOL_TYPES, ev
        assert REQUIRED[ev["type"]] <= ev.keys(), ev
        events.append(ev)
    seqs = [e["seq"] for e in events]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    return events


def test_protocol_of_a_full_run(trained_run):
    run_dir, res = trained_run
    events = assert_protocol(res.stdout_lines)
    with open(os.path.join(run_dir, "events.jsonl")) as f:
        assert f.read().splitlines() == res.stdout_lines  # stdout mirrors the file exactly
    types = [e["type"] for e in events]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert [e["phase"] for e in events if e["type"] == "phase"] == ["loading_model", "tokenizing", "training", "saving"]
    started = events[types.index("started")]
    assert types.index("started") < types.index("log")
    assert started["max_steps"] == 60 and started["num_train_samples"] == 40
    assert started["world_size"] == 1 and started["precision"] == "fp32" and started["trainable_params"] > 0
    logs = [e for e in events if e["type"] == "log"]
    assert [e["step"] for e in logs] == list(range(1, 61))
    assert logs[-1]["tokens_seen"] > logs[0]["tokens_seen"] > 0
    assert all(e["gpu_mem_gb"] is None for e in logs)  # CPU
    assert logs[-1]["eta_s"] is not None and logs[-1]["eta_s"] <= 1
    evals = [e for e in events if e["type"] == "eval"]
    assert [e["step"] for e in evals] == [20, 40, 60]
    assert all(math.isclose(e["perplexity"], math.exp(e["eval_loss"])) for e in evals)
    ckpts = [e for e in events if e["type"] == "checkpoint"]
    assert [(e["step"], e["path"]) for e in ckpts] == [(s, f"checkpoints/checkpoint-{s}") for s in (20, 40, 60)]
    assert sorted(os.listdir(os.path.join(run_dir, "checkpoints"))) == ["checkpoint-40", "checkpoint-60"]  # limit 2
    assert events[-1] == {**events[-1], "type": "done", "status": "completed", "step": 60, "adapter_path": "adapter"}
    assert res.returncode == 0


def test_loss_goes_down(trained_run):
    run_dir, res = trained_run
    losses = [e["loss"] for e in res.events if e["type"] == "log"]
    first, last = sum(losses[:5]) / 5, sum(losses[-5:]) / 5
    print(f"loss: first5 {first:.3f} last5 {last:.3f} curve {[round(x, 3) for x in losses[::10]]}", file=sys.stderr)
    assert last < first * 0.6, (first, last)
    evals = [e["eval_loss"] for e in res.events if e["type"] == "eval"]
    assert evals[-1] < evals[0]


def test_adapter_loads_back_with_peft(trained_run, tiny_model_dir):
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    run_dir, _ = trained_run
    adapter = os.path.join(run_dir, "adapter")
    assert {"adapter_config.json", "adapter_model.safetensors"} <= set(os.listdir(adapter))
    assert not os.path.exists(adapter + ".tmp")
    with open(os.path.join(adapter, "adapter_config.json")) as f:
        acfg = json.load(f)
    assert acfg["r"] == 8 and acfg["lora_alpha"] == 16 and acfg["use_dora"] is False
    base = AutoModelForCausalLM.from_pretrained(tiny_model_dir, local_files_only=True)
    ids = torch.tensor([[1, 5, 9, 12, 40]])
    with torch.no_grad():
        before = base(ids).logits
        model = PeftModel.from_pretrained(base, adapter)
        after = model(ids).logits
    assert not torch.allclose(before, after), "the trained adapter must change the outputs"


def test_stray_prints_during_training_do_not_corrupt_stdout(tmp_path, tiny_model_dir):
    run_dir = write_run(tmp_path / "run", tiny_model_dir, n_train=8, val=False, max_steps=3, save_steps=100)
    driver = os.path.join(os.path.dirname(__file__), "stray_print_driver.py")
    res = run_command(["train", "--run-dir", run_dir], pre=[driver])
    assert res.returncode == 0, res.stderr[-3000:]
    events = assert_protocol(res.stdout_lines)
    assert events[-1]["type"] == "done" and events[-1]["status"] == "completed"
    for marker in ("STRAY print", "STRAY sys.stdout", "STRAY fd1"):
        assert marker in res.stderr


def test_dora_trains(tmp_path, tiny_model_dir):
    run_dir = write_run(tmp_path / "run", tiny_model_dir, n_train=8, val=False, max_steps=2, save_steps=100,
                        method="dora", gradient_checkpointing=False)
    res = train(run_dir)
    assert res.returncode == 0, res.stderr[-3000:]
    with open(os.path.join(run_dir, "adapter", "adapter_config.json")) as f:
        assert json.load(f)["use_dora"] is True


def test_qlora_without_bitsandbytes_is_a_clear_error(tmp_path, tiny_model_dir):
    run_dir = write_run(tmp_path / "run", tiny_model_dir, n_train=4, val=False, method="qlora")
    res = train(run_dir)
    assert res.returncode == 1
    events = assert_protocol(res.stdout_lines)
    err = events[-1]
    assert err["type"] == "error" and err["oom"] is False
    assert "QLoRA" in err["message"]


def test_bad_config_is_an_error_event(tmp_path):
    os.makedirs(tmp_path / "run")
    (tmp_path / "run" / "config.json").write_text(json.dumps({**BASE_CONFIG, "base_model": "/nope", "lora_r": 0}))
    res = train(tmp_path / "run")
    assert res.returncode == 1
    events = assert_protocol(res.stdout_lines)
    assert [e["type"] for e in events] == ["error"] and "lora_r" in events[0]["message"]
    assert read_events(tmp_path / "run") == events
    assert TRAINER_ROOT  # imported for the subprocess environment
