"""Runs the real ``train`` command, failing one rank on purpose: used by the DDP tests.

``LORA_TEST_FAIL_RANK`` (default 1) raises ``RuntimeError("injected failure on rank R")`` at the
end of optimizer step ``LORA_TEST_FAIL_STEP``; every other rank runs the real code. Launched as
the script of ``python -m torch.distributed.run … ddp_fault_driver.py train --run-dir DIR``.
"""

import os
import sys

from lora_trainer import callbacks
from lora_trainer.cli import main

FAIL_RANK = int(os.environ.get("LORA_TEST_FAIL_RANK", "1"))
FAIL_STEP = int(os.environ.get("LORA_TEST_FAIL_STEP", "2"))
_orig = callbacks.EventCallback.on_step_end


def failing_on_step_end(self, args, state, control, **kwargs):
    if int(os.environ.get("RANK", "0")) == FAIL_RANK and state.global_step >= FAIL_STEP:
        raise RuntimeError(f"injected failure on rank {FAIL_RANK} at step {state.global_step}")
    return _orig(self, args, state, control, **kwargs)


callbacks.EventCallback.on_step_end = failing_on_step_end

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
