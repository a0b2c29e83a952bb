"""How the ranks of a DDP run hand their failures to rank 0, the only one that writes events.

A rank other than 0 that fails writes ``<run>/rank-errors/rank-N.json`` (atomically: temp file +
rename) and exits 1. Rank 0 then usually fails too, with the collective's "connection closed by
peer", or receives torchrun's SIGTERM; either way it reports the earliest peer error instead of
its own symptom, so the job fails with the cause (ARCHITECTURE.md: one ``error`` event per run).
"""

from __future__ import annotations

import json
import os
import shutil
import time

ERRORS_DIR = "rank-errors"


def write_peer_error(run_dir: str, rank: int, exc: BaseException, tb: str, oom: bool) -> None:
    """Record this rank's failure for rank 0 (best effort: a full disk must not mask the error)."""
    folder = os.path.join(run_dir, ERRORS_DIR)
    record = {"rank": rank, "ts": time.time(), "message": f"{type(exc).__name__}: {exc}",
              "traceback": tb, "oom": oom}
    try:
        os.makedirs(folder, exist_ok=True)
        tmp = os.path.join(folder, f".rank-{rank}.json.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, os.path.join(folder, f"rank-{rank}.json"))
    except OSError:
        pass


def read_peer_errors(run_dir: str) -> list[dict]:
    """Every complete peer error record, earliest first."""
    folder = os.path.join(run_dir, ERRORS_DIR)
    found = []
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    for name in names:
        if not (name.startswith("rank-") and name.endswith(".json")):
            continue
        try:
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                rec = json.load(f)
        except (OSError, ValueError):
            continue
        if isinstance(rec, dict) and isinstance(rec.get("rank"), int) and isinstance(rec.get("message"), str):
            rec.setdefault("traceback", "")
            rec.setdefault("oom", False)
            found.append(rec)
    return sorted(found, key=lambda r: (r.get("ts") or 0, r["rank"]))


def first_peer_error(run_dir: str, wait_s: float, before: float | None = None) -> dict | None:
    """The earliest peer error (that happened before ``before``, when given), polling up to
    ``wait_s`` seconds for one to appear. A peer that failed *after* rank 0 failed on its own is
    a consequence, not the cause, so it is not reported."""
    deadline = time.monotonic() + wait_s
    while True:
        errors = [e for e in read_peer_errors(run_dir) if before is None or (e.get("ts") or 0) <= before]
        if errors or time.monotonic() >= deadline:
            return errors[0] if errors else None
        time.sleep(0.1)


def clear_peer_errors(run_dir: str) -> None:
    shutil.rmtree(os.path.join(run_dir, ERRORS_DIR), ignore_errors=True)
