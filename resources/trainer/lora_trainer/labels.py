"""Token ids and labels for one canonical row, with completion-only masking.

Completion-only training computes the loss on what the assistant says, not on the system prompt,
the user's turns or tool results (label -100 everywhere else). Two ways to find those tokens:

1. The chat template has ``{% generation %}…{% endgeneration %}`` markers: ask the tokenizer for
   ``assistant_masks`` (``return_assistant_tokens_mask=True``). Exact, and respects whatever the
   template chooses to include (typically the content and the end-of-turn token).
2. No markers (most templates shipped with models): render ``messages[:i]`` with the generation
   prompt and ``messages[:i+1]``; when the first is a token prefix of the second, the difference
   is assistant turn i (content, end-of-turn token and any trailing separator). Templates that
   render the last turn differently (Qwen3's empty ``<think>`` block) still keep the generation
   prompts as prefixes: each turn then runs from its prompt to its end-of-turn token. Templates
   that rewrite earlier turns (e.g. strip reasoning) break even that; then only the last
   assistant turn is trained on, which is always well defined.

Rows with ``tools`` are rendered with ``tools=`` (render.py), so the loss covers the assistant's tool
calls (they are part of its turn) and masks the tool results (``tool`` turns, like user turns).

Plain ``{"text": ...}`` rows are language-modelling rows: every token is a label.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from .render import check_tools_rendered, template_kwargs

IGNORE_INDEX = -100
_GENERATION_RE = re.compile(r"\{%-?\s*generation\s*-?%\}")


def template_of(tok) -> str | None:
    """The tokenizer's default chat template as a string (None when it has none)."""
    t = getattr(tok, "chat_template", None)
    if isinstance(t, dict):
        t = t.get("default") or next(iter(t.values()), None)
    return t if isinstance(t, str) and t.strip() else None


def has_generation_markers(tok) -> bool:
    t = template_of(tok)
    return bool(t and _GENERATION_RE.search(t))


def _ids(enc: Any) -> list[int]:
    """``apply_chat_template(tokenize=True)`` returns a BatchEncoding in v5 and a list in v4."""
    if isinstance(enc, dict) or hasattr(enc, "keys"):
        enc = enc["input_ids"]
    return list(enc)


def _render(tok, messages: list[dict], add_generation_prompt: bool = False, tools: list[dict] | None = None) -> list[int]:
    return _ids(
        tok.apply_chat_template(
            messages, tokenize=True, add_generation_prompt=add_generation_prompt, **template_kwargs(tools)
        )
    )


def labels_from_generation_mask(tok, messages: list[dict], tools: list[dict] | None = None) -> tuple[list[int], list[int]]:
    """(input_ids, labels) using the template's ``{% generation %}`` markers."""
    enc = tok.apply_chat_template(
        messages, tokenize=True, return_dict=True, return_assistant_tokens_mask=True, **template_kwargs(tools)
    )
    ids = list(enc["input_ids"])
    mask = list(enc["assistant_masks"])
    if len(mask) != len(ids):
        raise ValueError("assistant_masks and input_ids differ in length")
    return ids, [t if m else IGNORE_INDEX for t, m in zip(ids, mask)]


def labels_from_prefix_diff(tok, messages: list[dict], tools: list[dict] | None = None) -> tuple[list[int], list[int]]:
    """(input_ids, labels) by rendering growing prefixes of the conversation (no markers needed)."""
    full = _render(tok, messages, tools=tools)
    labels = [IGNORE_INDEX] * len(full)
    turns = [i for i, m in enumerate(messages) if m.get("role") == "assistant"]
    spans: list[tuple[int, int]] = []
    for i in turns:
        before = _render(tok, messages[:i], add_generation_prompt=True, tools=tools) if i else []
        upto = full if i == len(messages) - 1 else _render(tok, messages[: i + 1], tools=tools)
        if before != upto[: len(before)] or upto != full[: len(upto)]:
            spans = []
            break
        spans.append((len(before), len(upto)))
    else:
        if spans:
            for a, b in spans:
                labels[a:b] = full[a:b]
            return full, labels
    if not turns:
        return full, labels
    spans = turn_spans_to_end_of_turn(tok, messages, full, turns, tools)
    if spans:
        for a, b in spans:
            labels[a:b] = full[a:b]
        return full, labels
    # Not prefix-stable: train on the last assistant turn only (after the longest common prefix).
    last = turns[-1]
    before = _render(tok, messages[:last], add_generation_prompt=True, tools=tools)
    upto = _render(tok, messages[: last + 1], tools=tools)
    start = 0
    while start < min(len(before), len(upto)) and before[start] == upto[start]:
        start += 1
    if upto == full[: len(upto)]:
        labels[start : len(upto)] = full[start : len(upto)]
    return full, labels


def turn_spans_to_end_of_turn(
    tok, messages: list[dict], full: list[int], turns: list[int], tools: list[dict] | None
) -> list[tuple[int, int]]:
    """Spans of every assistant turn for templates that render the last turn differently.

    Qwen3's template, for one, adds an empty ``<think>`` block to the final assistant turn only, so
    ``messages[:i+1]`` is not a prefix of the whole conversation, yet ``messages[:i]`` with the
    generation prompt still is. Each turn then starts where that prompt ends and runs through the
    first end-of-turn (eos) token; without that token the result is empty (last-turn fallback),
    because a tool-calling turn must not silently lose its calls.
    """
    eos = tok.eos_token_id
    if eos is None:
        return []
    spans: list[tuple[int, int]] = []
    for n, i in enumerate(turns):
        before = _render(tok, messages[:i], add_generation_prompt=True, tools=tools) if i else []
        if before != full[: len(before)]:
            return []
        start = len(before)
        limit = len(full)
        if n + 1 < len(turns):
            nxt = _render(tok, messages[: turns[n + 1]], add_generation_prompt=True, tools=tools)
            limit = len(nxt) if nxt == full[: len(nxt)] else limit
        try:
            end = full.index(eos, start, limit) + 1
        except ValueError:
            if i != len(messages) - 1:
                return []
            end = len(full)
        spans.append((start, end))
    return spans


class Labeler:
    """Turns canonical rows into ``{"input_ids", "attention_mask", "labels"}`` for one tokenizer."""

    def __init__(self, tok, max_seq_len: int, completion_only: bool = True, drop_overlong: bool = False):
        self.tok = tok
        self.drop_overlong = drop_overlong
        self.max_seq_len = max_seq_len
        self.completion_only = completion_only
        self.use_mask = has_generation_markers(tok)
        self.mode = "generation_mask" if self.use_mask else "prefix_diff"
        self._warned = False

    def chat(self, messages: list[dict], tools: list[dict] | None = None) -> tuple[list[int], list[int]]:
        if template_of(self.tok) is None:
            raise ValueError("the tokenizer has no chat template, so chat rows cannot be rendered")
        check_tools_rendered(self.tok, messages, tools)
        if not self.completion_only:
            ids = _render(self.tok, messages, tools=tools)
            return ids, list(ids)
        if self.use_mask:
            ids, labels = labels_from_generation_mask(self.tok, messages, tools)
            wants = any(m.get("role") == "assistant" and m.get("content") for m in messages)
            if any(lab != IGNORE_INDEX for lab in labels) or not wants:
                return ids, labels
            if not self._warned:
                print("[lora_trainer] assistant mask came back empty; using the prefix-diff fallback",
                      file=sys.stderr)
                self._warned = True
        return labels_from_prefix_diff(self.tok, messages, tools)

    def text(self, text: str) -> tuple[list[int], list[int]]:
        ids = list(self.tok(text, add_special_tokens=True)["input_ids"])
        eos = self.tok.eos_token_id
        if eos is not None and (not ids or ids[-1] != eos):
            ids.append(eos)
        return ids, list(ids)

    def __call__(self, row: dict) -> dict | None:
        """The training example for one row, or None when nothing in it is trainable."""
        if "messages" in row:
            ids, labels = self.chat(row["messages"], row.get("tools"))
        elif "text" in row:
            ids, labels = self.text(row["text"])
        elif "prompt" in row:
            raise ValueError("a preference row (prompt, chosen/rejected or completion/label) trains with the "
                             "dpo, orpo or kto objective, not sft")
        else:
            raise ValueError('a row needs "messages" or "text"')
        if self.drop_overlong and len(ids) > self.max_seq_len:
            return None  # the job chose to leave rows longer than max_seq_len out (counted as dropped)
        ids, labels = ids[: self.max_seq_len], labels[: self.max_seq_len]
        if not any(lab != IGNORE_INDEX for lab in labels[1:]):
            return None  # labels are shifted inside the model: position 0 never counts
        return {"input_ids": ids, "attention_mask": [1] * len(ids), "labels": labels}
