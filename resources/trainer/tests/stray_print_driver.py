"""Runs the real ``train`` command with a Trainer that prints to stdout on every step.

Used by test_train.py: proves that library or user prints during training (Python-level and
raw fd 1 writes) end up on stderr and never interleave with the JSON events on stdout.
"""

import os
import sys

import transformers

from lora_trainer.cli import main

_orig = transformers.Trainer.training_step


def noisy_training_step(self, *args, **kwargs):
    print("STRAY print from training_step")
    sys.stdout.write("STRAY sys.stdout write\n")
    sys.stdout.flush()
    os.write(1, b"STRAY fd1 write\n")
    return _orig(self, *args, **kwargs)


transformers.Trainer.training_step = noisy_training_step

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
