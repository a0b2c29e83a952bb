"""Completion-only labels, checked token by token against the rendered chat template.

The expected mask is computed independently of labels.py: render the conversation to text,
locate each assistant turn's characters in it, tokenize the text with offsets, and mark the
tokens whose characters fall inside those spans.
"""

import pytest
from tiny_model import CHATML_GENERATION, CHATML_PLAIN, build_tokenizer

from lora_trainer.labels import (
    IGNORE_INDEX,
    Labeler,
    has_generation_markers,
    labels_from_generation_mask,
    labels_from_prefix_diff,
)

CONVERSATIONS = [
    [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "What is the capital of France?"},
        {"role": "assistant", "content": "Paris."},
    ],
    [
        {"role": "user", "content": "What is two plus two?"},
        {"role": "assistant", "content": "Four."},
        {"role": "user", "content": "And the weather?"},
        {"role": "tool", "content": "sunny, 21 C"},
        {"role": "assistant", "content": "It is sunny, 21 degrees."},
    ],
]


@pytest.fixture(scope="module")
def tok_gen():
    return build_tokenizer(CHATML_GENERATION)


@pytest.fixture(scope="module")
def tok_plain():
    return build_tokenizer(CHATML_PLAIN)


def expected_mask(tok, messages, suffix):
    """Per token: True iff it lies inside an assistant turn's content + ``suffix``."""
    text = tok.apply_chat_template(messages, tokenize=False)
    spans, pos = [], 0
    for m in messages:
        if m["role"] != "assistant":
            continue
        head = "<|im_start|>assistant\n"
        start = text.index(head + m["content"], pos) + len(head)
        end = start + len(m["content"]) + len(suffix)
        assert text[start:end] == m["content"] + suffix
        spans.append((start, end))
        pos = end
    enc = tok(text, add_special_tokens=False, return_offsets_mapping=True)
    mask = [any(a <= s and e <= b for a, b in spans) for s, e in enc["offset_mapping"]]
    return list(enc["input_ids"]), mask


def check(ids, labels, want_ids, want_mask):
    assert ids == want_ids, "labels.py must tokenize exactly like the template"
    assert len(labels) == len(ids)
    for i, (tid, lab, keep) in enumerate(zip(ids, labels, want_mask)):
        assert lab == (tid if keep else IGNORE_INDEX), f"token {i} ({tid}) labelled {lab}"
    assert any(want_mask)


@pytest.mark.parametrize("messages", CONVERSATIONS)
def test_generation_mask_labels_token_by_token(tok_gen, messages):
    assert has_generation_markers(tok_gen)
    ids, labels = labels_from_generation_mask(tok_gen, messages)
    # the template's {% generation %} covers the content and <|im_end|>, not the newline after
    check(ids, labels, *expected_mask(tok_gen, messages, "<|im_end|>"))
    decoded = tok_gen.decode([x for x in labels if x != IGNORE_INDEX])
    assert decoded == "".join(m["content"] + "<|im_end|>" for m in messages if m["role"] == "assistant")


@pytest.mark.parametrize("messages", CONVERSATIONS)
def test_prefix_diff_fallback_token_by_token(tok_plain, messages):
    assert not has_generation_markers(tok_plain)
    ids, labels = labels_from_prefix_diff(tok_plain, messages)
    # the difference between renderings includes the turn's trailing newline
    check(ids, labels, *expected_mask(tok_plain, messages, "<|im_end|>\n"))


def test_labeler_picks_the_path(tok_gen, tok_plain):
    assert Labeler(tok_gen, 512).mode == "generation_mask"
    assert Labeler(tok_plain, 512).mode == "prefix_diff"
    row = {"messages": CONVERSATIONS[1]}
    a = Labeler(tok_gen, 512)(row)
    b = Labeler(tok_plain, 512)(row)
    assert a["input_ids"] == b["input_ids"] and a["attention_mask"] == [1] * len(a["input_ids"])


def _x_template(condition: str):
    """ChatML that writes X instead of the content of messages matching ``condition``."""
    tpl = CHATML_PLAIN.replace(
        "{{ message['content'] + '<|im_end|>' + '\n' }}",
        "{{ ('X' if " + condition + " else message['content']) + '<|im_end|>' + '\n' }}",
    )
    return tpl.replace(
        "{%- if message['role'] == 'assistant' %}{{ message['content'] + '<|im_end|>' }}",
        "{%- if message['role'] == 'assistant' %}{{ ('X' if " + condition + " else message['content']) + '<|im_end|>' }}",
    )


def test_earlier_turns_rendered_differently_are_trained_as_rendered(tok_plain):
    # A template that renders earlier assistant turns differently from the last one (like Qwen3's
    # empty <think> block on the last turn only) breaks the prefix property, but the generation
    # prompts are still prefixes: each turn is trained as it appears in the conversation.
    tok = build_tokenizer(_x_template("not loop.last and message['role'] == 'assistant'"))
    msgs = CONVERSATIONS[1]
    ids, labels = labels_from_prefix_diff(tok, msgs)
    decoded = tok.decode([x for x in labels if x != IGNORE_INDEX])
    assert decoded == "X<|im_end|>" + msgs[-1]["content"] + "<|im_end|>"


def test_fallback_when_not_prefix_stable(tok_plain):
    # A template that rewrites earlier user turns breaks even the generation prompts' prefixes:
    # only the last turn is trained.
    tok = build_tokenizer(_x_template("not loop.last and message['role'] == 'user'"))
    msgs = CONVERSATIONS[1]
    ids, labels = labels_from_prefix_diff(tok, msgs)
    decoded = tok.decode([x for x in labels if x != IGNORE_INDEX])
    assert decoded == msgs[-1]["content"] + "<|im_end|>\n"


def test_completion_only_off_trains_on_everything(tok_gen):
    ex = Labeler(tok_gen, 512, completion_only=False)({"messages": CONVERSATIONS[0]})
    assert ex["labels"] == ex["input_ids"]


def test_text_rows_and_truncation(tok_gen):
    lab = Labeler(tok_gen, 6)
    ex = lab({"text": "Hello! How can I help you today?"})
    assert len(ex["input_ids"]) == 6 and ex["labels"] == ex["input_ids"]
    full = Labeler(tok_gen, 512)({"text": "hi"})
    assert full["input_ids"][-1] == tok_gen.eos_token_id
    # assistant answer beyond max_seq_len: nothing to train on, the row is dropped
    assert Labeler(tok_gen, 8)({"messages": CONVERSATIONS[0]}) is None
    with pytest.raises(ValueError):
        lab({"foo": 1})


def test_overlong_rows_are_truncated_or_dropped(tok_gen):
    row = {"messages": CONVERSATIONS[1]}
    full = Labeler(tok_gen, 4096)(row)
    short = len(full["input_ids"]) - 3
    assert len(Labeler(tok_gen, short)(row)["input_ids"]) == short
    assert Labeler(tok_gen, short, drop_overlong=True)(row) is None
    assert Labeler(tok_gen, len(full["input_ids"]), drop_overlong=True)(row) == full
