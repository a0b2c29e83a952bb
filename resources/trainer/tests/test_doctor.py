"""``doctor`` prints exactly one JSON object, also when torch cannot be imported."""

import json
import os

from conftest import run_command

KEYS = {"ok", "python", "torch", "cuda", "transformers", "peft", "accelerate", "bitsandbytes", "flash_attn",
        "bf16", "gpus", "problems"}


def test_doctor_prints_one_json_object():
    res = run_command(["doctor"])
    assert res.returncode == 0, res.stderr
    assert len(res.stdout_lines) == 1
    report = json.loads(res.stdout_lines[0])
    assert KEYS <= report.keys()
    assert report["ok"] is True and report["problems"] == []
    assert report["torch"] and report["transformers"].startswith("5.") and report["peft"]
    assert isinstance(report["gpus"], list) and isinstance(report["bf16"], bool)
    for gpu in report["gpus"]:
        assert {"index", "name", "memory_total_mb"} <= gpu.keys()


def test_doctor_without_torch_reports_the_problem():
    driver = os.path.join(os.path.dirname(__file__), "no_torch_driver.py")
    res = run_command(["doctor"], pre=[driver])
    assert res.returncode == 0, res.stderr
    report = json.loads(res.stdout_lines[0])
    assert report["ok"] is False and report["torch"] is None
    assert any("torch" in p for p in report["problems"])
