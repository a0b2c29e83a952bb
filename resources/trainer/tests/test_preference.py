"""DPO and KTO train the tiny model on CPU through the real ``train`` command, margin growing.

Pairs prefer one fixed style of answer ("Paris." style short answers) over a fixed wrong one, so
the policy can separate them within a few dozen LoRA steps; the reward margin DPO logs must grow
and the accuracy reach 1. Needs TRL (in requirements.txt).
"""

import json
import os

import pytest
from conftest import QA, train, write_run

from lora_trainer.data import DataError
from lora_trainer.preference import trl_rows

pytest.importorskip("trl", reason="trl is in requirements.txt; the venv built from it has it")


def pair(q: str, a: str) -> dict:
    return {
        "prompt": [{"role": "user", "content": q}],
        "chosen": [{"role": "assistant", "content": a}],
        "rejected": [{"role": "assistant", "content": "rainy weather tool function call"}],
    }


def write_pairs(run_dir, n: int, kto: bool = False) -> None:
    with open(os.path.join(run_dir, "train.jsonl"), "w") as f:
        for i in range(n):
            q, a = QA[i % len(QA)]
            row = pair(q, a)
            if kto:  # unpaired rows, half desirable
                good = i % 2 == 0
                row = {"prompt": row["prompt"], "completion": row["chosen" if good else "rejected"], "label": good}
            f.write(json.dumps(row) + "\n")


def logs_of(res) -> list[dict]:
    return [e for e in (json.loads(line) for line in res.stdout_lines) if e["type"] == "log"]


def test_dpo_trains_and_the_margin_grows(tmp_path, tiny_model_dir):
    run_dir = write_run(tmp_path / "dpo", tiny_model_dir, n_train=8, val=False, objective="dpo", pref_beta=0.1,
                        max_steps=30, logging_steps=5, save_steps=100, learning_rate=5e-3, per_device_batch_size=4,
                        gradient_checkpointing=False, max_seq_len=128)
    write_pairs(run_dir, 24)
    res = train(run_dir, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    logs = logs_of(res)
    margins = [e["rewards/margins"] for e in logs if e.get("rewards/margins") is not None]
    assert len(margins) >= 3, logs
    assert margins[-1] > margins[0] and margins[-1] > 0.5, margins
    assert logs[-1]["rewards/accuracies"] == 1.0
    assert {"rewards/chosen", "rewards/rejected"} <= set(logs[-1])
    assert os.path.exists(os.path.join(run_dir, "adapter", "adapter_model.safetensors"))


def test_kto_trains_on_labelled_answers(tmp_path, tiny_model_dir):
    run_dir = write_run(tmp_path / "kto", tiny_model_dir, n_train=8, val=False, objective="kto", pref_beta=0.1,
                        max_steps=30, logging_steps=5, save_steps=100, learning_rate=5e-3, per_device_batch_size=4,
                        gradient_checkpointing=False, max_seq_len=128)
    write_pairs(run_dir, 24, kto=True)
    res = train(run_dir, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    logs = logs_of(res)
    margins = [e["rewards/margins"] for e in logs if e.get("rewards/margins") is not None]
    assert len(margins) >= 2 and margins[-1] > margins[0], logs


def test_rows_that_do_not_fit_the_objective_are_named():
    chat = {"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]}
    with pytest.raises(DataError, match=r"^train.jsonl row 1: DPO trains on preference rows"):
        trl_rows([chat], "dpo", "train.jsonl")
    kto_row = {"prompt": [{"role": "user", "content": "q"}], "completion": [{"role": "assistant", "content": "a"}],
               "label": True}
    with pytest.raises(DataError, match=r"rows with one labelled answer train with KTO"):
        trl_rows([kto_row], "dpo", "train.jsonl")
    unpaired = trl_rows([pair("q", "a")], "kto", "train.jsonl")
    assert [r["label"] for r in unpaired] == [True, False]


def test_orpo_trains_without_a_reference(tmp_path, tiny_model_dir):
    run_dir = write_run(tmp_path / "orpo", tiny_model_dir, n_train=8, val=False, objective="orpo", pref_beta=0.1,
                        max_steps=10, logging_steps=5, save_steps=100, learning_rate=5e-3, per_device_batch_size=4,
                        gradient_checkpointing=False, max_seq_len=128)
    write_pairs(run_dir, 8)
    res = train(run_dir, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    assert any(e.get("rewards/margins") is not None for e in logs_of(res))
