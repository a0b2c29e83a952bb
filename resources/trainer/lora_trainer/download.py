"""``python -m lora_trainer download ID``: a base model from the Hugging Face Hub into the HF cache.

Protocol lines on stdout, like ``generate``: ``{"v":1,"seq":n,"ts":…,"type":"download","bytes":…,
"total":…}`` about twice a second while files arrive, then ``done`` (with the snapshot ``path``) or
``error`` (with ``code``: ``OFFLINE``, ``GATED``, ``NOT_FOUND`` or ``FAILED``, and a message a
person can act on). The download resumes where an interrupted one stopped (huggingface_hub keeps
``.incomplete`` files). A token is read where huggingface_hub always looks (``HF_TOKEN``, the file
``huggingface-cli login`` writes) and is never required: public models download without one.
"""

from __future__ import annotations

import os
import threading
from typing import Any, TextIO

from .generate import Stream

# What training needs from a model repo: weights, configs, tokenizer, chat template.
ALLOW_PATTERNS = ["*.json", "*.safetensors", "*.model", "*.txt", "*.jinja", "tokenizer*"]
# Exceptions that mean "the Hub could not be reached", across the HTTP clients huggingface_hub uses.
NETWORK_ERROR_NAMES = frozenset(
    {"ConnectError", "NetworkError", "TransportError", "ConnectionError", "Timeout", "TimeoutException",
     "OfflineModeIsEnabled", "LocalEntryNotFoundError"}
)


def _offline_env() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}


def _offline_message(repo_id: str) -> str:
    return (
        f"Cannot reach the Hugging Face Hub to download {repo_id}: this machine is offline. "
        "Download it where there is internet (python -m lora_trainer download ID, or huggingface-cli download ID) "
        "and copy the model folder here, then pick that folder for the job."
    )


def _bytes_in(folder: str) -> int:
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                try:
                    total += os.path.getsize(path)
                except OSError:
                    pass
    return total


def download(out: TextIO, repo_id: str, revision: str | None = None) -> int:
    stream = Stream(out)
    if _offline_env():
        stream.emit("error", code="OFFLINE", message=_offline_message(repo_id))
        return 1
    try:
        from huggingface_hub import HfApi, snapshot_download
        from huggingface_hub.constants import HF_HUB_CACHE
        from huggingface_hub.errors import GatedRepoError, RepositoryNotFoundError
    except ImportError as exc:
        stream.emit("error", code="FAILED", message=f"huggingface_hub is not installed: {exc}")
        return 1
    def is_network(exc: BaseException) -> bool:
        # By class name, not import: huggingface_hub's HTTP client differs by release (requests, httpx…).
        names = {c.__name__ for c in type(exc).__mro__}
        return isinstance(exc, (OSError, TimeoutError)) or bool(names & NETWORK_ERROR_NAMES)

    def fail(exc: BaseException) -> int:
        if isinstance(exc, GatedRepoError):
            stream.emit(
                "error",
                code="GATED",
                message=f"{repo_id} is gated: accept its licence at https://huggingface.co/{repo_id} and log in "
                "(huggingface-cli login, or HF_TOKEN) before downloading.",
            )
        elif isinstance(exc, RepositoryNotFoundError):
            stream.emit("error", code="NOT_FOUND", message=f"There is no model {repo_id} on the Hub (or it is private).")
        elif is_network(exc):
            stream.emit("error", code="OFFLINE", message=_offline_message(repo_id))
        else:
            stream.emit("error", code="FAILED", message=f"{type(exc).__name__}: {exc}")
        return 1

    try:
        info = HfApi().model_info(repo_id, revision=revision, files_metadata=True)
    except Exception as exc:  # noqa: BLE001 - each kind becomes its protocol error
        return fail(exc)
    import fnmatch

    wanted = [
        s for s in (info.siblings or []) if any(fnmatch.fnmatch(s.rfilename, p) for p in ALLOW_PATTERNS)
    ]
    total = sum(s.size or 0 for s in wanted) or None
    repo_folder = os.path.join(HF_HUB_CACHE, "models--" + repo_id.replace("/", "--"))
    stop = threading.Event()

    def report() -> None:
        # The blobs folder (finished files and .incomplete parts) is what has arrived so far.
        while not stop.wait(0.5):
            stream.emit("download", bytes=_bytes_in(os.path.join(repo_folder, "blobs")), total=total)

    reporter = threading.Thread(target=report, daemon=True)
    reporter.start()
    try:
        path: Any = snapshot_download(repo_id, revision=info.sha or revision, allow_patterns=ALLOW_PATTERNS)
    except Exception as exc:  # noqa: BLE001
        stop.set()
        reporter.join()
        return fail(exc)
    stop.set()
    reporter.join()
    done = _bytes_in(os.path.join(repo_folder, "blobs"))
    stream.emit("download", bytes=done, total=total)
    stream.emit("done", path=str(path), bytes=done)
    return 0
