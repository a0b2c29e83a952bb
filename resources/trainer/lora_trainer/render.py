"""Rendering canonical rows with the model's chat template, tools included.

Tool-calling rows carry ``tools`` (OpenAI-style JSON-schema function definitions) beside their
messages, and assistant turns carry ``tool_calls`` ({type, function: {name, arguments}}). Chat
templates that support tools render the definitions (usually into the system prompt) when given
``tools=`` and write each call in the model's own format; templates that do not silently drop
both, which would train a tool-calling model without its tools. So every row with tools or calls
is checked once: its rendered text must contain each tool's name and each call's name.
"""

from __future__ import annotations

from typing import Any


class ToolTemplateError(ValueError):
    """The chat template drops the row's tool definitions or tool calls."""


def template_kwargs(tools: list[dict] | None) -> dict[str, Any]:
    """Extra ``apply_chat_template`` arguments for a row: ``tools`` only when it has some."""
    return {"tools": tools} if tools else {}


def tool_names(messages: list[dict], tools: list[dict] | None) -> tuple[list[str], list[str]]:
    """(names of the defined tools, names of the functions the assistant calls)."""
    defined = [t.get("function", t).get("name", "") for t in tools or [] if isinstance(t, dict)]
    called = [
        c.get("function", c).get("name", "")
        for m in messages
        for c in (m.get("tool_calls") or [])
        if isinstance(c, dict)
    ]
    return [n for n in defined if n], [n for n in called if n]


def check_tools_rendered(tok, messages: list[dict], tools: list[dict] | None) -> None:
    """Raise ToolTemplateError when the template leaves out a tool definition or a call."""
    defined, called = tool_names(messages, tools)
    if not defined and not called:
        return
    text = tok.apply_chat_template(messages, tokenize=False, **template_kwargs(tools))
    missing_defs = sorted({n for n in defined if n not in text})
    missing_calls = sorted({n for n in called if n not in text})
    if missing_defs or missing_calls:
        what = []
        if missing_defs:
            what.append("tool definitions (" + ", ".join(missing_defs) + ")")
        if missing_calls:
            what.append("tool calls (" + ", ".join(missing_calls) + ")")
        raise ToolTemplateError(
            "the model's chat template leaves out the row's " + " and ".join(what)
            + ": choose a model whose chat template supports tools"
        )
