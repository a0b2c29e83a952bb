"""Cancellation requests: SIGTERM, a ``{"cmd":"cancel"}`` line on stdin, or ``<run>/cancel``.

All three only set a flag; the training callback looks at it at the end of every optimizer step
and asks the Trainer to save a checkpoint and stop (see callbacks.py). Three routes because:

- SIGTERM is what the supervisor sends to the process group on POSIX;
- on Windows ``child.kill()`` kills outright, so the stdin and file routes are the graceful ones;
- under torchrun only the file is seen by every rank (torchrun SIGKILLs workers 30 s after
  forwarding SIGTERM), and the flag is all-reduced so all ranks stop at the same step.

stdin is read with ``os.read`` on fd 0 in a daemon thread (not ``sys.stdin``), so a blocked read
never holds the interpreter's stdin lock at shutdown.
"""

from __future__ import annotations

import json
import os
import signal
import threading

CANCEL_FILE = "cancel"


class CancelFlag:
    """A thread-safe "please stop" flag fed by signals, stdin and a cancel file."""

    def __init__(self, run_dir: str):
        self.cancel_path = os.path.join(run_dir, CANCEL_FILE)
        self._event = threading.Event()
        self.reason: str | None = None

    def set(self, reason: str) -> None:
        if not self._event.is_set():
            self.reason = reason
            self._event.set()

    def is_set(self) -> bool:
        """True once cancel was requested by any route (the file is checked on every call)."""
        if not self._event.is_set() and os.path.exists(self.cancel_path):
            self.set("file")
        return self._event.is_set()

    def consume_file(self) -> None:
        """Remove the cancel file once honoured, so a later resume of this run isn't cancelled."""
        try:
            os.remove(self.cancel_path)
        except OSError:
            pass

    def install(self, read_stdin: bool = True) -> None:
        """Install the SIGTERM/SIGINT handlers (main thread only) and the stdin reader."""
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self._on_signal)
            signal.signal(signal.SIGINT, self._on_sigint)
        if read_stdin:
            threading.Thread(target=self._read_stdin, name="cancel-stdin", daemon=True).start()

    def _on_signal(self, signum, _frame) -> None:
        self.set(signal.Signals(signum).name)

    def _on_sigint(self, signum, frame) -> None:
        # First Ctrl-C cancels gracefully; a second one interrupts at once.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        self._on_signal(signum, frame)

    def _read_stdin(self) -> None:
        buf = b""
        while not self._event.is_set():
            try:
                chunk = os.read(0, 4096)
            except OSError:
                return
            if not chunk:
                return  # EOF (/dev/null, closed pipe): only the other routes remain
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                if is_cancel_command(line):
                    self.set("stdin")
                    return


def is_cancel_command(line: bytes | str) -> bool:
    """Whether one stdin line is the cancel command ``{"cmd":"cancel"}``."""
    try:
        msg = json.loads(line)
    except ValueError:
        return False
    return isinstance(msg, dict) and msg.get("cmd") == "cancel"
