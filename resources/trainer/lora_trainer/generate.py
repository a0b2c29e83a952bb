"""``generate --base DIR [--adapter DIR] --prompt TEXT …``: stream a completion as protocol lines.

Each piece of text is one ``{"v":1,"seq":n,"ts":…,"type":"token","text":…}`` line on stdout as soon
as the tokenizer can decode it, then one ``done`` line (``status: completed``, token count, seconds,
``stopped_by``: ``stop`` / ``max_tokens`` / ``eos``) or one ``error`` line. The prompt is rendered
with the chat template the run used: the adapter folder's tokenizer when it carries one (training
saves it there), else the base model's; a model without a chat template gets the raw prompt.
Temperature 0 is greedy decoding. A stop string ends the text before it.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any, TextIO

from .events import encode
from .modeling import SetupError, check_model_dir


class Stream:
    """Writes protocol lines with their own seq and ts."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.seq = 0

    def emit(self, type_: str, **fields: Any) -> None:
        self.seq += 1
        self.out.write(encode({"v": 1, "seq": self.seq, "ts": round(time.time(), 3), "type": type_, **fields}) + "\n")
        self.out.flush()


def _tokenizer_dir(base: str, adapter: str | None) -> str:
    if adapter and os.path.exists(os.path.join(adapter, "tokenizer_config.json")):
        return adapter
    return base


def generate(
    out: TextIO,
    base: str,
    prompt: str,
    adapter: str | None = None,
    system: str | None = None,
    max_new_tokens: int = 128,
    temperature: float = 0.7,
    stop: list[str] | None = None,
    seed: int = 0,
) -> int:
    stream = Stream(out)
    started = time.time()
    try:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        check_model_dir(base)
        if adapter and not os.path.isfile(os.path.join(adapter, "adapter_config.json")):
            raise SetupError(f"{adapter} has no adapter_config.json: not a PEFT adapter folder")
        if max_new_tokens < 1:
            raise SetupError("--max-new-tokens must be at least 1")
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer, TextIteratorStreamer

        torch.manual_seed(seed)
        tok = AutoTokenizer.from_pretrained(_tokenizer_dir(base, adapter), local_files_only=True)
        model = AutoModelForCausalLM.from_pretrained(base, local_files_only=True)
        if adapter:
            from peft import PeftModel

            model = PeftModel.from_pretrained(model, adapter, local_files_only=True)
        model.eval()
        if tok.chat_template:
            messages = ([{"role": "system", "content": system}] if system else []) + [
                {"role": "user", "content": prompt}
            ]
            text = tok.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
            enc = tok(text, return_tensors="pt", add_special_tokens=False)
        else:
            enc = tok(prompt, return_tensors="pt")
        streamer = TextIteratorStreamer(tok, skip_prompt=True, skip_special_tokens=True)
        kwargs: dict[str, Any] = {
            **enc,
            "max_new_tokens": max_new_tokens,
            "streamer": streamer,
            "pad_token_id": tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id,
        }
        if temperature > 0:
            kwargs.update(do_sample=True, temperature=temperature)
        else:
            kwargs.update(do_sample=False)
        result: dict[str, Any] = {}

        def run() -> None:
            try:
                with torch.no_grad():
                    result["ids"] = model.generate(**kwargs)
            except Exception as exc:  # noqa: BLE001 - reported as the error line
                result["error"] = exc
                streamer.end()

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        emitted = ""
        pending = ""
        stopped_by = None
        stops = [s for s in (stop or []) if s]
        hold = max((len(s) for s in stops), default=1) - 1
        for piece in streamer:
            pending += piece
            hit = min((i for i in (pending.find(s) for s in stops) if i >= 0), default=-1)
            if hit >= 0:
                if hit > 0:
                    stream.emit("token", text=pending[:hit])
                    emitted += pending[:hit]
                pending = ""
                stopped_by = "stop"
                break
            # hold back what could still become a stop string
            safe = len(pending) - hold if stops else len(pending)
            if safe > 0:
                stream.emit("token", text=pending[:safe])
                emitted += pending[:safe]
                pending = pending[safe:]
        if stopped_by is None and pending:
            stream.emit("token", text=pending)
            emitted += pending
        worker.join()
        if "error" in result:
            raise result["error"]
        new_tokens = 0
        if "ids" in result:
            new_tokens = int(result["ids"].shape[-1] - enc["input_ids"].shape[-1])
        if stopped_by is None:
            stopped_by = "max_tokens" if new_tokens >= max_new_tokens else "eos"
        stream.emit(
            "done",
            status="completed",
            tokens=new_tokens,
            seconds=round(time.time() - started, 3),
            stopped_by=stopped_by,
            adapter=bool(adapter),
        )
        return 0
    except Exception as exc:  # noqa: BLE001 - one error line, success or not
        import traceback
        import sys

        traceback.print_exc(file=sys.stderr)
        stream.emit("error", message=f"{type(exc).__name__}: {exc}", oom="out of memory" in str(exc).lower())
        return 1
