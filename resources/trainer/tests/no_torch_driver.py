"""Runs ``lora_trainer`` with ``import torch`` made to fail, as in an environment without torch."""

import sys

from lora_trainer.cli import main


class _BlockTorch:
    def find_spec(self, name, path=None, target=None):
        if name == "torch" or name.startswith("torch."):
            raise ImportError(f"No module named {name!r} (blocked by the test)")
        return None


sys.meta_path.insert(0, _BlockTorch())

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
