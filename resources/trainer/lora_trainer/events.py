"""The JSON-lines event protocol (version 1) that the app reads from the run folder.

Every event is one line ``{"v":1,"seq":N,"ts":secs,"type":...}`` appended to
``<run>/events.jsonl`` and mirrored on the process's *original* stdout. The app tails the file by
byte offset, so:

- each event is written with a single ``write`` of a complete line (a reader never sees half a
  line unless the process is killed mid-write; a torn last line is closed before appending);
- ``seq`` continues from the last event already in the file, so a resumed run extends the same
  stream;
- NaN / Infinity become ``null`` and ``json.dumps(allow_nan=False)`` guarantees no invalid JSON;
- ``checkpoint``, ``done`` and ``error`` are fsync'ed: they are what the app relies on after a
  crash or power loss.

``redirect_stdout`` keeps library prints (tqdm, PrinterCallback, user code) away from the
event stream: events go to a duplicate of fd 1 and fd 1 itself is pointed at stderr.
"""

from __future__ import annotations

import json
import math
import os
import sys
import threading
import time
from typing import IO, Any

from . import PROTOCOL_VERSION

EVENTS_FILE = "events.jsonl"
FSYNC_TYPES = frozenset({"checkpoint", "done", "error"})


def sanitize(value: Any) -> Any:
    """Return ``value`` with NaN/Inf floats replaced by None and numpy/torch scalars unwrapped."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): sanitize(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [sanitize(v) for v in value]
    item = getattr(value, "item", None)  # numpy / torch 0-d scalars
    if callable(item):
        try:
            return sanitize(item())
        except (TypeError, ValueError):
            pass
    try:
        return sanitize(float(value))
    except (TypeError, ValueError):
        return str(value)


def encode(event: dict) -> str:
    """Serialise one event as a single JSON line (no NaN, no newline inside)."""
    return json.dumps(sanitize(event), allow_nan=False, separators=(",", ":"), ensure_ascii=False)


def last_seq(path: str) -> int:
    """The highest ``seq`` in an existing events file (0 if none), reading only its tail."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            chunk = 1 << 16
            pos = size
            buf = b""
            while pos > 0:
                step = min(chunk, pos)
                pos -= step
                f.seek(pos)
                buf = f.read(step) + buf
                lines = buf.split(b"\n")
                # lines[0] may be partial unless we reached the start of the file
                candidates = lines if pos == 0 else lines[1:]
                for line in reversed(candidates):
                    try:
                        seq = json.loads(line).get("seq")
                    except (ValueError, AttributeError):
                        continue
                    if isinstance(seq, int):
                        return seq
    except FileNotFoundError:
        pass
    return 0


def redirect_stdout() -> IO[str]:
    """Return a text stream on the original stdout and send fd 1 (and sys.stdout) to stderr.

    After this, ``print()`` anywhere in the process, and C-level writes to fd 1, land in the
    stderr log instead of corrupting the JSON lines the app parses from stdout.
    """
    sys.stdout.flush()
    events_fd = os.dup(1)
    os.dup2(2, 1)
    return os.fdopen(events_fd, "w", encoding="utf-8", buffering=1, closefd=True)


class EventWriter:
    """Appends protocol events to ``<run>/events.jsonl`` and mirrors them on a stream.

    ``enabled=False`` (every rank but world-process-zero) turns it into a no-op, so callers
    don't need to check the rank themselves.
    """

    def __init__(self, run_dir: str, stream: IO[str] | None = None, enabled: bool = True):
        self.path = os.path.join(run_dir, EVENTS_FILE)
        self.stream = stream
        self.enabled = enabled
        self._lock = threading.Lock()
        self._file = None
        self.seq = 0
        if enabled:
            self.seq = last_seq(self.path)
            self._file = open(self.path, "ab")
            self._close_torn_line()

    def _close_torn_line(self) -> None:
        """If a previous process died mid-line, end that line so our first event stays valid."""
        if self._file is None or self._file.tell() == 0:
            return
        with open(self.path, "rb") as f:
            f.seek(-1, os.SEEK_END)
            if f.read(1) != b"\n":
                self._file.write(b"\n")
                self._file.flush()

    def emit(self, type_: str, **fields: Any) -> dict | None:
        """Write one event; returns it (or None when disabled). Never raises on a dead stdout."""
        if not self.enabled:
            return None
        with self._lock:
            self.seq += 1
            event = {"v": PROTOCOL_VERSION, "seq": self.seq, "ts": round(time.time(), 3), "type": type_}
            event.update(fields)
            line = encode(event) + "\n"
            if self._file is not None:
                self._file.write(line.encode("utf-8"))
                self._file.flush()
                if type_ in FSYNC_TYPES:
                    os.fsync(self._file.fileno())
            if self.stream is not None:
                try:
                    self.stream.write(line)
                    self.stream.flush()
                except (OSError, ValueError):
                    self.stream = None  # reader went away: the file is the source of truth
            return event

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None
