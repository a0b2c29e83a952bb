"""Cancel mid-run (cancel file, SIGTERM), then resume with "last": same steps, same curve."""

import math
import os
import signal

from conftest import read_events, set_config, train, write_run
from test_train import assert_protocol

CANCEL_AT = 5  # request cancel once the log of this step has been seen


def test_cancel_then_resume_continues_the_same_curve(tmp_path, tiny_model_dir, trained_run):
    run_dir = write_run(tmp_path / "run", tiny_model_dir)
    cancel_file = os.path.join(run_dir, "cancel")

    def on_event(ev, _proc):
        if ev["type"] == "log" and ev["step"] >= CANCEL_AT and not os.path.exists(cancel_file):
            open(cancel_file, "w").close()

    first = train(run_dir, on_event=on_event)
    assert first.returncode == 3, first.stderr[-3000:]
    ev1 = assert_protocol(first.stdout_lines)
    done = ev1[-1]
    assert done["type"] == "done" and done["status"] == "cancelled" and done["adapter_path"] is None
    stop = done["step"]
    assert CANCEL_AT <= stop < 60
    ckpt = ev1[-2]
    assert ckpt["type"] == "checkpoint" and ckpt["step"] == stop and ckpt["reason"] == "cancel"
    ckpt_dir = os.path.join(run_dir, ckpt["path"])
    assert {"adapter_model.safetensors", "optimizer.pt", "trainer_state.json"} <= set(os.listdir(ckpt_dir))
    assert not os.path.exists(cancel_file), "an honoured cancel file is removed so resume can run"
    assert not os.path.exists(os.path.join(run_dir, "adapter"))

    set_config(run_dir, resume_from_checkpoint="last")
    second = train(run_dir)
    assert second.returncode == 0, second.stderr[-3000:]
    ev2 = assert_protocol(second.stdout_lines)
    assert ev2[0]["seq"] == ev1[-1]["seq"] + 1, "seq continues in the same events.jsonl"
    assert read_events(run_dir) == ev1 + ev2
    started = next(e for e in ev2 if e["type"] == "started")
    assert started["resumed_from_step"] == stop and started["max_steps"] == 60
    logs2 = [e for e in ev2 if e["type"] == "log"]
    assert [e["step"] for e in logs2] == list(range(stop + 1, 61)), "step numbers continue, no restart at 1"
    assert ev2[-1]["type"] == "done" and ev2[-1]["status"] == "completed" and ev2[-1]["step"] == 60
    assert os.path.isfile(os.path.join(run_dir, "adapter", "adapter_model.safetensors"))

    # Same curve as the uninterrupted run with the identical config (optimizer, scheduler, RNG
    # and data position are restored from the checkpoint).
    _, main = trained_run
    ref = {e["step"]: e for e in main.events if e["type"] == "log"}
    logs1 = [e for e in ev1 if e["type"] == "log"]
    for e in logs1 + logs2:
        r = ref[e["step"]]
        assert math.isclose(e["loss"], r["loss"], rel_tol=2e-3, abs_tol=2e-3), (e["step"], e["loss"], r["loss"])
        assert math.isclose(e["learning_rate"], r["learning_rate"], rel_tol=1e-6), e["step"]
    assert logs2[-1]["tokens_seen"] == ref[60]["tokens_seen"]


def test_sigterm_cancels_with_a_checkpoint(tmp_path, tiny_model_dir):
    run_dir = write_run(tmp_path / "run", tiny_model_dir, n_train=8, val=False, max_steps=500, save_steps=1000,
                        gradient_checkpointing=False)
    sent = []

    def on_event(ev, proc):
        if ev["type"] == "log" and ev["step"] >= 3 and not sent:
            proc.send_signal(signal.SIGTERM)
            sent.append(ev["step"])

    res = train(run_dir, on_event=on_event)
    assert res.returncode == 3, res.stderr[-3000:]
    events = assert_protocol(res.stdout_lines)
    assert [e["type"] for e in events[-2:]] == ["checkpoint", "done"]
    assert events[-1]["status"] == "cancelled" and sent[0] <= events[-1]["step"] < 500
    assert os.path.isdir(os.path.join(run_dir, events[-2]["path"]))
