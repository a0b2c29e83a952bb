"""DDP for real on CPU: the trainer under ``torch.distributed.run --nproc-per-node 2`` (gloo).

The same config.json trains once in one process and once in two; with the global batch kept
(per-device 2 × accumulation 2 in one process = per-device 2 × 2 ranks × accumulation 1), the
two runs see the same examples per optimizer step and must give the same curve. Measured on
torch 2.15 / transformers 5.24 (CPU): the per-step training losses agree to ~1e-7 relative; the
asserted tolerance is 1e-4 relative (reductions run in a different order across ranks).

Eval loss under DDP (transformers 5.x averages tokens across devices) is the token-weighted mean
over the *global* eval batch, so it equals a single-process run whose eval batch is per-device ×
world size (and an even number of eval rows: the last uneven batch is padded with repeats).
"""

import json
import math
import os
import signal
import subprocess
import sys
import threading

import pytest
from conftest import TRAINER_ROOT, read_events, subprocess_env, train, write_run
from test_train import assert_protocol

LOSS_RTOL = 1e-4
DDP_CONFIG = dict(n_train=16, val=True, per_device_batch_size=2, grad_accum=2, per_device_eval_batch_size=1,
                  max_steps=None, epochs=1, save_steps=2, eval_steps=2, logging_steps=1)
FAULT_DRIVER = os.path.join(os.path.dirname(__file__), "ddp_fault_driver.py")


def torchrun(run_dir, nproc=2, script=None, env=None, on_event=None, timeout=240):
    """``python -m torch.distributed.run --standalone --nproc-per-node N -m lora_trainer train``.

    Started in its own session, like the app's supervisor does, so a test can signal the group.
    Returns (returncode, stdout lines, stderr).
    """
    target = [script] if script else ["-m", "lora_trainer"]
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc-per-node={nproc}",
           *target, "train", "--run-dir", str(run_dir)]
    full_env = {**subprocess_env(), "OMP_NUM_THREADS": "1", **(env or {})}
    proc = subprocess.Popen(cmd, cwd=TRAINER_ROOT, env=full_env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    err: list[str] = []
    t = threading.Thread(target=lambda: err.append(proc.stderr.read()), daemon=True)
    t.start()
    timer = threading.Timer(timeout, lambda: os.killpg(proc.pid, signal.SIGKILL))
    timer.start()
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if on_event is not None:
                on_event(json.loads(line), proc)
        rc = proc.wait()
    finally:
        timer.cancel()
    t.join(10)
    return rc, lines, "".join(err)


def even_val(run_dir) -> None:
    """Keep 4 of the 5 validation rows: both ranks then see whole eval batches."""
    path = os.path.join(run_dir, "val.jsonl")
    with open(path) as f:
        rows = f.readlines()[:4]
    with open(path, "w") as f:
        f.writelines(rows)


@pytest.fixture(scope="module")
def ddp_pair(tmp_path_factory, tiny_model_dir):
    """The same config trained in 1 process and in 2: ((dir1, events1), (dir2, events2, stdout2))."""
    d1 = write_run(tmp_path_factory.mktemp("ddp-single"), tiny_model_dir,
                   **{**DDP_CONFIG, "per_device_eval_batch_size": 2})
    even_val(d1)
    single = train(d1)
    assert single.returncode == 0, single.stderr[-3000:]
    d2 = write_run(tmp_path_factory.mktemp("ddp-two"), tiny_model_dir, **DDP_CONFIG)
    even_val(d2)
    rc, lines, err = torchrun(d2)
    assert rc == 0, err[-4000:]
    return (d1, single.events), (d2, assert_protocol(lines), lines)


def test_two_ranks_train_and_only_rank_0_writes(ddp_pair):
    _, (run_dir, events, lines) = ddp_pair
    with open(os.path.join(run_dir, "events.jsonl")) as f:
        assert f.read().splitlines() == lines, "one writer: stdout mirrors the file, no second rank's lines"
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    types = [e["type"] for e in events]
    assert types.count("started") == 1 and types.count("done") == 1 and "error" not in types
    started = events[types.index("started")]
    assert started["world_size"] == 2 and started["effective_batch"] == 4
    # 16 examples, global batch 4, one epoch: 4 optimizer steps (not 8, which a per-rank batch gives)
    assert started["max_steps"] == 4
    assert [e["step"] for e in events if e["type"] == "log"] == [1, 2, 3, 4]
    assert [e["step"] for e in events if e["type"] == "checkpoint"] == [2, 4]
    assert sorted(os.listdir(os.path.join(run_dir, "checkpoints"))) == ["checkpoint-2", "checkpoint-4"]
    assert events[-1]["status"] == "completed" and events[-1]["adapter_path"] == "adapter"
    assert os.path.isfile(os.path.join(run_dir, "adapter", "adapter_model.safetensors"))
    assert not os.path.exists(os.path.join(run_dir, "adapter.tmp"))
    assert not os.path.exists(os.path.join(run_dir, "rank-errors"))


def test_loss_matches_a_single_process_run_with_the_same_global_batch(ddp_pair):
    (_, ev1), (_, ev2, _) = ddp_pair
    s1 = next(e for e in ev1 if e["type"] == "started")
    assert s1["world_size"] == 1 and s1["effective_batch"] == 4 and s1["max_steps"] == 4
    logs1 = [e for e in ev1 if e["type"] == "log"]
    logs2 = [e for e in ev2 if e["type"] == "log"]
    assert [e["step"] for e in logs1] == [e["step"] for e in logs2]
    worst = 0.0
    for a, b in zip(logs1, logs2):
        for key in ("loss", "grad_norm"):
            worst = max(worst, abs(a[key] - b[key]) / abs(a[key]))
            assert math.isclose(a[key], b[key], rel_tol=LOSS_RTOL), (key, a, b)
        assert a["tokens_seen"] == b["tokens_seen"]
    print(f"DDP vs single process: worst relative difference of loss/grad_norm {worst:.2e}", file=sys.stderr)
    assert logs2[-1]["loss"] < logs2[0]["loss"]
    ev_a = [e["eval_loss"] for e in ev1 if e["type"] == "eval"]
    ev_b = [e["eval_loss"] for e in ev2 if e["type"] == "eval"]
    assert len(ev_a) == len(ev_b) == 2
    assert all(math.isclose(a, b, rel_tol=LOSS_RTOL) for a, b in zip(ev_a, ev_b)), (ev_a, ev_b)


def test_adapters_of_both_runs_agree(ddp_pair):
    import torch
    from safetensors.torch import load_file

    (d1, _), (d2, _, _) = ddp_pair
    a = load_file(os.path.join(d1, "adapter", "adapter_model.safetensors"))
    b = load_file(os.path.join(d2, "adapter", "adapter_model.safetensors"))
    assert a.keys() == b.keys() and len(a) > 0
    for k in a:
        assert torch.allclose(a[k], b[k], rtol=1e-3, atol=1e-5), k


def test_a_failing_rank_fails_the_run_with_its_own_error(tmp_path, tiny_model_dir):
    run_dir = write_run(tmp_path / "run", tiny_model_dir, **{**DDP_CONFIG, "epochs": 2})
    rc, lines, err = torchrun(run_dir, script=FAULT_DRIVER, env={"LORA_TEST_FAIL_RANK": "1", "LORA_TEST_FAIL_STEP": "2"})
    assert rc != 0
    events = assert_protocol(lines)
    last = events[-1]
    assert last["type"] == "error", err[-3000:]
    assert last["message"].startswith("rank 1: RuntimeError: injected failure on rank 1 at step 2"), last["message"]
    assert last["rank"] == 1 and "ddp_fault_driver.py" in last["traceback"]
    assert [e["type"] for e in events].count("error") == 1
    assert "done" not in [e["type"] for e in events]


def test_cancel_reaches_every_rank_and_saves_one_checkpoint(tmp_path, tiny_model_dir):
    """What the supervisor does: cancel file + SIGTERM to the whole process group."""
    run_dir = write_run(tmp_path / "run", tiny_model_dir, **{**DDP_CONFIG, "epochs": 4, "save_steps": 100})
    asked = []

    def on_event(ev, proc):
        if ev["type"] == "log" and ev["step"] >= 2 and not asked:
            asked.append(ev["step"])
            open(os.path.join(run_dir, "cancel"), "w").close()
            os.killpg(proc.pid, signal.SIGTERM)

    rc, lines, err = torchrun(run_dir, on_event=on_event)
    events = assert_protocol(lines)
    done = events[-1]
    assert done["type"] == "done" and done["status"] == "cancelled", err[-3000:]
    assert asked[0] <= done["step"] < 16
    ckpt = events[-2]
    assert ckpt["type"] == "checkpoint" and ckpt["reason"] == "cancel" and ckpt["step"] == done["step"]
    assert os.path.isfile(os.path.join(run_dir, ckpt["path"], "trainer_state.json"))
    assert read_events(run_dir) == events
    assert not os.path.exists(os.path.join(run_dir, "cancel"))
    print(f"torchrun exit code after cancel: {rc}", file=sys.stderr)


def test_grad_accum_is_split_across_ranks_and_never_shrinks_the_batch(capsys):
    from lora_trainer.train import ddp_grad_accum

    assert ddp_grad_accum(4, 1) == 4
    assert ddp_grad_accum(4, 2) == 2
    assert ddp_grad_accum(1, 2) == 1  # 2× the batch: the smallest DDP can do, said on stderr
    assert ddp_grad_accum(3, 2) == 2
    assert "effective batch is 4× the per-device batch instead of 3×" in capsys.readouterr().err


def test_peer_errors_are_reported_earliest_first_and_only_if_before_rank_0(tmp_path):
    from lora_trainer import ranks

    assert ranks.first_peer_error(str(tmp_path), wait_s=0) is None
    try:
        raise ValueError("boom on 2")
    except ValueError as exc:
        ranks.write_peer_error(str(tmp_path), 2, exc, "tb2", oom=False)
    first = ranks.first_peer_error(str(tmp_path), wait_s=0)
    assert first["rank"] == 2 and first["message"] == "ValueError: boom on 2" and first["traceback"] == "tb2"
    assert ranks.first_peer_error(str(tmp_path), wait_s=0, before=first["ts"] - 1) is None
    ranks.clear_peer_errors(str(tmp_path))
    assert ranks.read_peer_errors(str(tmp_path)) == []
