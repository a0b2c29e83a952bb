"""config.json defaults and validation (config.py)."""

import json

import pytest

from lora_trainer.config import ConfigError, from_dict, load


def test_defaults():
    cfg = from_dict({"base_model": "/models/x"})
    assert cfg.method == "lora" and cfg.lora_target_modules == "all-linear"
    assert cfg.completion_only is True and cfg.packing is False and cfg.gradient_checkpointing is True
    assert cfg.resume_from_checkpoint is None and cfg.eval_batch_size == cfg.per_device_batch_size


def test_nulls_mean_default_and_unknown_keys_are_kept_aside():
    cfg = from_dict({"base_model": "/m", "max_steps": None, "job_name": "x"})
    assert cfg.max_steps is None and cfg.extra == {"job_name": "x"}


@pytest.mark.parametrize(
    "bad",
    [
        {"method": "full"},
        {"lora_r": 0},
        {"warmup": 3},
        {"learning_rate": -1},
        {"lora_target_modules": []},
        {"per_device_batch_size": 1.5},
        {"completion_only": "yes"},
        {"base_model": "relative/path"},
    ],
)
def test_invalid_values_are_rejected(bad):
    with pytest.raises(ConfigError):
        from_dict({"base_model": "/m", **bad})


def test_missing_base_model_and_file(tmp_path):
    with pytest.raises(ConfigError, match="base_model"):
        from_dict({})
    with pytest.raises(ConfigError, match="not found"):
        load(str(tmp_path))
    (tmp_path / "config.json").write_text("{not json")
    with pytest.raises(ConfigError, match="not valid JSON"):
        load(str(tmp_path))
    (tmp_path / "config.json").write_text(json.dumps({"base_model": "/m", "lora_target_modules": ["q_proj"]}))
    assert load(str(tmp_path)).lora_target_modules == ["q_proj"]
