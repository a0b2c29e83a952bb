"""``merge`` folds the trained adapter into the base; the result loads and matches PEFT's output."""

import json
import os

from conftest import run_command


def test_merge_produces_a_loadable_model(trained_run, tiny_model_dir, tmp_path):
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    run_dir, _ = trained_run
    adapter = os.path.join(run_dir, "adapter")
    out = str(tmp_path / "merged")
    res = run_command(["merge", "--base", tiny_model_dir, "--adapter", adapter, "--out", out, "--dtype", "fp32"])
    assert res.returncode == 0, res.stderr[-3000:]
    assert len(res.stdout_lines) == 1
    result = json.loads(res.stdout_lines[0])
    assert result["ok"] is True and result["out"] == out and result["size_bytes"] > 0
    assert "model.safetensors" in result["files"] and "tokenizer.json" in result["files"]
    assert not os.path.exists(out + ".tmp")

    merged = AutoModelForCausalLM.from_pretrained(out, local_files_only=True)
    assert not any("lora" in n for n, _ in merged.named_parameters())
    tok = AutoTokenizer.from_pretrained(out, local_files_only=True)
    ids = tok.apply_chat_template([{"role": "user", "content": "What is two plus two?"}],
                                  tokenize=True, add_generation_prompt=True, return_tensors="pt")
    ids = ids["input_ids"] if hasattr(ids, "keys") else ids
    base = AutoModelForCausalLM.from_pretrained(tiny_model_dir, local_files_only=True)
    peft_model = PeftModel.from_pretrained(base, adapter)
    with torch.no_grad():
        a = merged(ids).logits
        b = peft_model(ids).logits
    assert torch.allclose(a, b, atol=1e-4), (a - b).abs().max()


def test_merge_default_bf16(trained_run, tiny_model_dir, tmp_path):
    run_dir, _ = trained_run
    out = str(tmp_path / "merged-bf16")
    res = run_command(["merge", "--base", tiny_model_dir, "--adapter", os.path.join(run_dir, "adapter"), "--out", out])
    assert res.returncode == 0, res.stderr[-3000:]
    with open(os.path.join(out, "config.json")) as f:
        assert json.load(f)["dtype"] == "bfloat16"


def test_merge_reports_errors_as_json(tmp_path, tiny_model_dir):
    res = run_command(["merge", "--base", tiny_model_dir, "--adapter", str(tmp_path), "--out", str(tmp_path / "o")])
    assert res.returncode == 1
    result = json.loads(res.stdout_lines[0])
    assert result["ok"] is False and "adapter_config.json" in result["error"]["message"]
