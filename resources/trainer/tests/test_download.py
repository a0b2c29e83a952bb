"""``download`` says offline instead of failing: HF_HUB_OFFLINE, and a Hub that cannot be reached."""

import json
import subprocess
import sys

from conftest import TRAINER_ROOT, run_command, subprocess_env


def _last_event(res):
    return json.loads(res.stdout_lines[-1])


def test_download_with_hf_hub_offline_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    res = run_command(["download", "Qwen/Qwen2.5-0.5B-Instruct"], timeout=60)
    assert res.returncode == 1
    event = _last_event(res)
    assert event["type"] == "error" and event["code"] == "OFFLINE"
    assert "offline" in event["message"] and "copy the model folder" in event["message"]


def test_download_from_an_unreachable_hub_is_offline_not_a_crash(tmp_path):
    env = subprocess_env()
    del env["HF_HUB_OFFLINE"]  # the shared env forces offline mode; here the network is really tried
    # A closed local port: a real connection failure, the same on a machine with internet.
    env.update(HF_HOME=str(tmp_path), HF_ENDPOINT="http://127.0.0.1:9")
    res = subprocess.run([sys.executable, "-m", "lora_trainer", "download", "Qwen/Qwen2.5-0.5B-Instruct"],
                         cwd=TRAINER_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 1, res.stderr[-2000:]
    lines = res.stdout.strip().splitlines()
    assert all(json.loads(line)["v"] == 1 for line in lines)
    event = json.loads(lines[-1])
    assert event["type"] == "error" and event["code"] == "OFFLINE", event
