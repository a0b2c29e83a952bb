"""LoRA Studio's trainer: fine-tunes a local Hugging Face model with LoRA / QLoRA / DoRA.

It is a command (``python -m lora_trainer doctor|train|merge``), not a library the app imports:
the app only reads the run folder and the JSON-lines event protocol described in
ARCHITECTURE.md ("Training process model") and in this package's README.md. Heavy libraries
(torch, transformers, peft) are imported lazily, inside the commands, so that ``doctor`` can
report a broken environment instead of crashing on import.
"""

__version__ = "0.1.0"
PROTOCOL_VERSION = 1
