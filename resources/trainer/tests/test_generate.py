"""``generate`` streams a completion as token lines and ends with done, base or with the adapter."""

import json
import os

from conftest import run_command


def _events(res):
    return [json.loads(line) for line in res.stdout_lines]


def test_generate_streams_tokens_then_done(tiny_model_dir):
    res = run_command(["generate", "--base", tiny_model_dir, "--prompt", "What is two plus two?",
                       "--max-new-tokens", "12", "--temperature", "0"])
    assert res.returncode == 0, res.stderr[-3000:]
    events = _events(res)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert events[-1]["type"] == "done" and events[-1]["status"] == "completed"
    assert events[-1]["adapter"] is False
    assert 1 <= events[-1]["tokens"] <= 12
    assert all(e["type"] == "token" and isinstance(e["text"], str) for e in events[:-1])


def test_generate_with_the_adapter_is_deterministic_at_temperature_0(trained_run, tiny_model_dir):
    run_dir, _ = trained_run
    adapter = os.path.join(run_dir, "adapter")
    args = ["generate", "--base", tiny_model_dir, "--adapter", adapter, "--prompt", "What is two plus two?",
            "--max-new-tokens", "10", "--temperature", "0"]
    first, second = run_command(args), run_command(args)
    assert first.returncode == 0, first.stderr[-3000:]
    a, b = _events(first), _events(second)
    assert a[-1]["adapter"] is True
    text = "".join(e["text"] for e in a if e["type"] == "token")
    assert text == "".join(e["text"] for e in b if e["type"] == "token")


def test_generate_cuts_at_a_stop_string(tiny_model_dir):
    base = ["generate", "--base", tiny_model_dir, "--prompt", "Count", "--max-new-tokens", "16", "--temperature", "0"]
    full = "".join(e["text"] for e in _events(run_command(base)) if e["type"] == "token")
    if len(full) < 4:
        return  # a random tiny model may end at once; nothing to cut
    stop = full[2:4]
    res = run_command([*base, "--stop", stop])
    events = _events(res)
    text = "".join(e["text"] for e in events if e["type"] == "token")
    assert stop not in text and full.startswith(text)
    assert events[-1]["stopped_by"] == "stop"


def test_generate_reports_a_bad_adapter_as_an_error_line(tiny_model_dir, tmp_path):
    res = run_command(["generate", "--base", tiny_model_dir, "--adapter", str(tmp_path), "--prompt", "hi"])
    assert res.returncode == 1
    events = _events(res)
    assert events[-1]["type"] == "error" and "adapter_config.json" in events[-1]["message"]
