"""Command line: ``python -m lora_trainer doctor | train --run-dir DIR | merge … | generate … | download ID``.

stdout belongs to the protocol: before anything else runs, ``redirect_stdout`` keeps a private
handle on the real stdout and points fd 1 at stderr, so only our JSON reaches stdout whatever
libraries print. ``doctor`` and ``merge`` print exactly one JSON object; ``train`` prints the
event stream (also appended to ``<run>/events.jsonl``); ``generate`` streams ``token`` lines and
ends with ``done`` (or ``error``).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback

from .events import encode, redirect_stdout


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="lora_trainer", description="LoRA Studio trainer")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("doctor", help="print one JSON object describing the environment")
    t = sub.add_parser("train", help="train the run in --run-dir (config.json, train.jsonl)")
    t.add_argument("--run-dir", required=True)
    m = sub.add_parser("merge", help="merge an adapter into its base model")
    m.add_argument("--base", required=True)
    m.add_argument("--adapter", required=True)
    m.add_argument("--out", required=True)
    m.add_argument("--dtype", default="bf16", choices=("bf16", "fp16", "fp32"))
    g = sub.add_parser("generate", help="stream a completion of --prompt, with --adapter if given")
    g.add_argument("--base", required=True)
    g.add_argument("--adapter")
    g.add_argument("--prompt", required=True)
    g.add_argument("--system")
    g.add_argument("--max-new-tokens", type=int, default=128)
    g.add_argument("--temperature", type=float, default=0.7)
    g.add_argument("--stop", action="append", default=[])
    g.add_argument("--seed", type=int, default=0)
    d = sub.add_parser("download", help="download a base model from the Hugging Face Hub (progress in bytes)")
    d.add_argument("repo_id")
    d.add_argument("--revision")
    return p


def _print_json(stream, obj: dict) -> None:
    stream.write(encode(obj) + "\n")
    stream.flush()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    out = redirect_stdout()
    if args.command == "doctor":
        from .doctor import collect

        report = collect()
        if int(os.environ.get("RANK", "0")) == 0:  # under torchrun: one report, not one per rank
            _print_json(out, report)
        return 0
    if args.command == "train":
        from .train import run

        if not os.path.isdir(args.run_dir):
            # no run folder means no events.jsonl either: a usage error, told on stderr only
            print(f"lora_trainer: {args.run_dir} is not a folder", file=sys.stderr)
            return 2
        return run(args.run_dir, out)
    if args.command == "merge":
        from .merge import merge

        try:
            _print_json(out, merge(args.base, args.adapter, args.out, args.dtype))
            return 0
        except Exception as exc:  # noqa: BLE001 - one JSON result, success or not
            traceback.print_exc(file=sys.stderr)
            _print_json(out, {"ok": False, "error": {"message": f"{type(exc).__name__}: {exc}"}})
            return 1
    if args.command == "generate":
        from .generate import generate

        return generate(
            out,
            args.base,
            args.prompt,
            adapter=args.adapter,
            system=args.system,
            max_new_tokens=args.max_new_tokens,
            temperature=args.temperature,
            stop=args.stop,
            seed=args.seed,
        )
    if args.command == "download":
        from .download import download

        return download(out, args.repo_id, revision=args.revision)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

