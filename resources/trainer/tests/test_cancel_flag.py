"""The three cancel routes of cancel.py, without training (fast)."""

import os
import signal
import subprocess
import sys

from conftest import TRAINER_ROOT, subprocess_env

from lora_trainer.cancel import CancelFlag, is_cancel_command


def test_cancel_command_parsing():
    assert is_cancel_command(b'{"cmd":"cancel"}')
    assert is_cancel_command('{"cmd": "cancel", "why": "user"}')
    assert not is_cancel_command(b'{"cmd":"pause"}')
    assert not is_cancel_command(b"cancel")
    assert not is_cancel_command(b"[1]")


def test_cancel_file(tmp_path):
    flag = CancelFlag(str(tmp_path))
    assert not flag.is_set()
    (tmp_path / "cancel").touch()
    assert flag.is_set() and flag.reason == "file"
    flag.consume_file()
    assert not (tmp_path / "cancel").exists()


def test_sigterm_sets_flag(tmp_path):
    old = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    try:
        flag = CancelFlag(str(tmp_path))
        flag.install(read_stdin=False)
        os.kill(os.getpid(), signal.SIGTERM)
        assert flag.is_set() and flag.reason == "SIGTERM"
    finally:
        signal.signal(signal.SIGTERM, old[0])
        signal.signal(signal.SIGINT, old[1])


def test_stdin_command_sets_flag(tmp_path):
    code = (
        "import sys, time\n"
        "from lora_trainer.cancel import CancelFlag\n"
        "f = CancelFlag(sys.argv[1]); f.install()\n"
        "t = time.time()\n"
        "while not f.is_set() and time.time() - t < 20: time.sleep(0.05)\n"
        "sys.stderr.write(str(f.reason))\n"
    )
    p = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=TRAINER_ROOT, env=subprocess_env(),
                       input='not json\n{"cmd":"cancel"}\n', capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and p.stderr.endswith("stdin")
