"""Unit tests of the event protocol writer (events.py) and the stdout redirection."""

import json
import math
import os
import subprocess
import sys

from conftest import TRAINER_ROOT, subprocess_env

from lora_trainer.events import EventWriter, encode, last_seq, sanitize


def test_nan_and_inf_become_null():
    ev = {"loss": float("nan"), "grad_norm": float("inf"), "x": [-math.inf, 1.5], "nested": {"y": float("nan")}}
    out = json.loads(encode(ev))
    assert out == {"loss": None, "grad_norm": None, "x": [None, 1.5], "nested": {"y": None}}
    assert "NaN" not in encode(ev) and "Infinity" not in encode(ev)


def test_sanitize_unwraps_tensor_scalars():
    import torch

    assert sanitize(torch.tensor(2.5)) == 2.5
    assert sanitize(torch.tensor(float("nan"))) is None
    assert sanitize(True) is True and sanitize(3) == 3


def test_writer_appends_protocol_lines(tmp_path):
    w = EventWriter(str(tmp_path))
    w.emit("phase", phase="loading_model")
    w.emit("log", step=1, loss=float("nan"))
    w.close()
    lines = (tmp_path / "events.jsonl").read_text().splitlines()
    evs = [json.loads(x) for x in lines]
    assert [e["seq"] for e in evs] == [1, 2]
    assert all(e["v"] == 1 and isinstance(e["ts"], float) for e in evs)
    assert evs[1]["type"] == "log" and evs[1]["loss"] is None


def test_seq_continues_and_torn_line_is_closed(tmp_path):
    w = EventWriter(str(tmp_path))
    for _ in range(3):
        w.emit("phase", phase="training")
    w.close()
    with open(tmp_path / "events.jsonl", "a") as f:
        f.write('{"v":1,"seq":4,"ts":1.0,"type":"lo')  # killed mid-write
    assert last_seq(str(tmp_path / "events.jsonl")) == 3
    w = EventWriter(str(tmp_path))
    w.emit("phase", phase="training")
    w.close()
    lines = (tmp_path / "events.jsonl").read_text().splitlines()
    assert json.loads(lines[-1])["seq"] == 4
    assert lines[-2].endswith('"type":"lo')  # the torn line stays on its own line


def test_disabled_writer_writes_nothing(tmp_path):
    w = EventWriter(str(tmp_path), enabled=False)
    assert w.emit("phase", phase="training") is None
    assert not (tmp_path / "events.jsonl").exists()


def test_redirect_keeps_stray_output_off_stdout(tmp_path):
    code = (
        "import os, sys\n"
        "from lora_trainer.events import EventWriter, redirect_stdout\n"
        "out = redirect_stdout()\n"
        "w = EventWriter(sys.argv[1], out)\n"
        "print('stray print'); sys.stdout.flush()\n"
        "os.write(1, b'stray fd write\\n')\n"
        "w.emit('phase', phase='training')\n"
        "print('another stray')\n"
        "w.emit('done', status='completed', step=0, adapter_path='adapter')\n"
    )
    p = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=TRAINER_ROOT, env=subprocess_env(),
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert [json.loads(x)["type"] for x in lines] == ["phase", "done"]
    assert "stray print" in p.stderr and "stray fd write" in p.stderr and "another stray" in p.stderr
    assert lines == (tmp_path / "events.jsonl").read_text().splitlines()
    assert os.path.getsize(tmp_path / "events.jsonl") > 0
