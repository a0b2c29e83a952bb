"""Builds a tiny random Llama-style model and a byte-level BPE tokenizer, fully offline.

Why: the tests train for real through the ``train`` command, and no model can be downloaded
here. A 2-layer, 64-wide model with a 512-token byte-level BPE vocabulary trains in tens of
milliseconds per step on CPU, yet goes through exactly the code paths of a real Llama (chat
template, attention, all-linear LoRA targets, safetensors save/load). Byte-level BPE never yields
unknown tokens, so any text round-trips. (TRAINER.md section 6.)

``initializer_range`` is 0.1 rather than Llama's 0.02: with a 64-wide model and a frozen random
``lm_head`` the default scale caps the reachable logits so low that no adapter can push the loss
much below ln(vocab); at 0.1 the loss falls from ~6 to ~1.2 in 60 LoRA steps.
"""

from __future__ import annotations

import os

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|pad|>"]

# ChatML with {% generation %} markers around what the assistant must learn to produce:
# its content and the end-of-turn token (so the model learns to stop).
CHATML_GENERATION = (
    "{%- for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' }}"
    "{%- if message['role'] == 'assistant' %}"
    "{% generation %}{{ message['content'] + '<|im_end|>' }}{% endgeneration %}{{ '\n' }}"
    "{%- else %}"
    "{{ message['content'] + '<|im_end|>' + '\n' }}"
    "{%- endif %}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{%- endif %}"
)

# The same rendering without generation markers, for the prefix-diff fallback.
CHATML_PLAIN = CHATML_GENERATION.replace("{% generation %}", "").replace("{% endgeneration %}", "")

CORPUS = [
    "The quick brown fox jumps over the lazy dog.",
    "What is the capital of France? The capital of France is Paris.",
    "Two plus two equals four. Three times three equals nine.",
    "User asks a question and the assistant answers politely and briefly.",
    "system user assistant tool function call result weather sunny rainy",
    "Hello! How can I help you today? I am fine, thank you very much.",
] * 20


def build_tokenizer(chat_template: str = CHATML_GENERATION):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tk = Tokenizer(models.BPE())
    tk.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tk.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=512,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tk.train_from_iterator(CORPUS, trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tk,
        bos_token="<|endoftext|>",
        eos_token="<|im_end|>",
        pad_token="<|pad|>",
        chat_template=chat_template,
    )


def build_tiny_model(
    out_dir: str, chat_template: str = CHATML_GENERATION, seed: int = 0, init_range: float = 0.1
) -> str:
    """Save a tiny random LlamaForCausalLM + tokenizer to ``out_dir``; returns the path."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    tok = build_tokenizer(chat_template)
    config = LlamaConfig(
        vocab_size=len(tok),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=512,
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
        pad_token_id=tok.pad_token_id,
        tie_word_embeddings=False,
        initializer_range=init_range,
    )
    torch.manual_seed(seed)
    model = LlamaForCausalLM(config)
    os.makedirs(out_dir, exist_ok=True)
    model.save_pretrained(out_dir)
    tok.save_pretrained(out_dir)
    return out_dir
