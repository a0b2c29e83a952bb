"""Reads the run folder's canonical rows and tokenizes them into a map-style dataset.

The app has already normalised and validated the dataset, so rows here are either
``{"messages": [{"role": "system|user|assistant|tool", "content": "..."}]}`` or
``{"text": "..."}`` (preference rows with ``prompt`` are preference.py's). We still fail loudly on an unreadable line (with its line number), because a
silently skipped row changes what the model learns. Rows with nothing trainable after truncation
(e.g. the assistant turn fell beyond ``max_seq_len``) are dropped and counted.

A plain list-backed ``torch.utils.data.Dataset`` is enough: it keeps ``datasets`` (and its Arrow
cache in the home folder) out of the dependencies, and ``LengthGroupedSampler`` reads lengths
from ``item["input_ids"]``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from .labels import Labeler


class DataError(ValueError):
    """The train/val files are missing, malformed or leave nothing to train on."""


def read_jsonl(path: str) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise DataError(f"{os.path.basename(path)} line {n}: not valid JSON ({exc})") from None
            if not isinstance(row, dict) or not ("messages" in row or "text" in row or "prompt" in row):
                raise DataError(
                    f'{os.path.basename(path)} line {n}: a row needs "messages", "text" or "prompt" (preference)'
                )
            rows.append(row)
    return rows


class TokenizedDataset:
    """Map-style dataset of ``{"input_ids", "attention_mask", "labels"}`` dicts (torch-compatible)."""

    def __init__(self, examples: list[dict]):
        self.examples = examples

    def __len__(self) -> int:
        return len(self.examples)

    def __getitem__(self, i: int) -> dict:
        return self.examples[i]

    @property
    def num_tokens(self) -> int:
        return sum(len(e["input_ids"]) for e in self.examples)


@dataclass
class Split:
    dataset: TokenizedDataset
    rows: int
    dropped: int


def tokenize_rows(rows: list[dict], labeler: Labeler, name: str) -> Split:
    examples, dropped = [], 0
    for n, row in enumerate(rows, 1):
        try:
            ex = labeler(row)
        except Exception as exc:  # noqa: BLE001 - report which row broke the template
            raise DataError(f"{name} row {n}: {exc}") from exc
        if ex is None:
            dropped += 1
        else:
            examples.append(ex)
    return Split(TokenizedDataset(examples), len(rows), dropped)


def load_splits(run_dir: str, labeler: Labeler) -> tuple[Split, Split | None]:
    """Tokenized train split and, when ``val.jsonl`` exists and is non-empty, the val split."""
    train_path = os.path.join(run_dir, "train.jsonl")
    if not os.path.exists(train_path):
        raise DataError(f"{train_path} not found")
    train = tokenize_rows(read_jsonl(train_path), labeler, "train.jsonl")
    if len(train.dataset) == 0:
        raise DataError(
            f"train.jsonl: no trainable rows ({train.rows} rows, {train.dropped} with no assistant "
            f"tokens within max_seq_len)"
        )
    val = None
    val_path = os.path.join(run_dir, "val.jsonl")
    if os.path.exists(val_path):
        rows = read_jsonl(val_path)
        if rows:
            val = tokenize_rows(rows, labeler, "val.jsonl")
            if len(val.dataset) == 0:
                val = None
    return train, val
