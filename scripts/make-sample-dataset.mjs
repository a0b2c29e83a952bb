#!/usr/bin/env node
// Writes resources/samples/lab-assistant-chat.jsonl: the sample dataset a new user can import in one
// click. A few hundred short chat rows (system + user + assistant) for a concise "lab assistant",
// built from tables below so every answer is correct, plus two deliberately invalid rows so the
// validation view has something to show. Deterministic: running it again writes the same bytes.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'resources',
  'samples',
  'lab-assistant-chat.jsonl',
);
const SYSTEM =
  'You are a concise lab assistant. Answer in one or two sentences and show the numbers you used.';

// A small deterministic generator, so the file is the same on every machine.
let seed = 20261201;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const round = (x, d = 2) => Number(x.toFixed(d));

const rows = [];
const asked = new Set();
/** Add a row unless the same question was already asked; returns whether it was added. */
const chat = (user, assistant) => {
  if (asked.has(user)) return false;
  asked.add(user);
  rows.push({
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: user },
      { role: 'assistant', content: assistant },
    ],
  });
  return true;
};
/** Call `make` until it has added `n` distinct rows. */
const times = (n, make) => {
  for (let added = 0; added < n; ) if (make()) added++;
};

// Temperatures.
times(50, () => {
  const c = Math.round(rand() * 140 - 40);
  const f = round((c * 9) / 5 + 32, 1);
  return chat(
    pick([`Convert ${c} °C to Fahrenheit.`, `What is ${c} degrees Celsius in °F?`, `${c} C in Fahrenheit?`]),
    `${c} °C is ${f} °F (°F = °C × 9/5 + 32 = ${c} × 1.8 + 32).`,
  );
});

// GPU memory: bytes of weights for a parameter count at a precision.
const precisions = [
  ['fp32', 4],
  ['bf16', 2],
  ['fp16', 2],
  ['int8', 1],
  ['4-bit', 0.5],
];
times(40, () => {
  const billions = pick([0.5, 1, 1.5, 3, 7, 8, 13, 14, 32, 70]);
  const [name, bytes] = pick(precisions);
  const gib = round((billions * 1e9 * bytes) / 2 ** 30, 1);
  return chat(
    `How much memory do the weights of a ${billions}B-parameter model take in ${name}?`,
    `About ${gib} GiB: ${billions} × 10⁹ parameters × ${bytes} byte${bytes === 1 ? '' : 's'} = ${round(billions * bytes, 2)} GB, which is ${gib} GiB (1 GiB = 2³⁰ bytes). Activations and optimizer state come on top.`,
  );
});

// LoRA parameter counts for one square projection.
times(30, () => {
  const d = pick([896, 1536, 2048, 3072, 4096, 5120, 8192]);
  const r = pick([4, 8, 16, 32, 64]);
  const params = 2 * d * r;
  return chat(
    `How many trainable parameters does a rank-${r} LoRA adapter add to one ${d}×${d} linear layer?`,
    `${params.toLocaleString('en-US')}: the adapter is A (${r}×${d}) plus B (${d}×${r}), so 2 × ${d} × ${r} = ${params.toLocaleString('en-US')}, versus ${(d * d).toLocaleString('en-US')} in the frozen layer (${round((100 * params) / (d * d), 2)}%).`,
  );
});

// Steps per epoch.
times(50, () => {
  const n = pick([500, 1000, 2400, 5000, 12000, 50000]);
  const batch = pick([1, 2, 4, 8]);
  const accum = pick([1, 2, 4, 8, 16]);
  const effective = batch * accum;
  const steps = Math.ceil(n / effective);
  return chat(
    `I have ${n.toLocaleString('en-US')} examples, batch size ${batch} and gradient accumulation ${accum}. How many optimizer steps is one epoch?`,
    `${steps.toLocaleString('en-US')} steps: the effective batch is ${batch} × ${accum} = ${effective}, and ⌈${n.toLocaleString('en-US')} / ${effective}⌉ = ${steps.toLocaleString('en-US')}.`,
  );
});

// Energy and cost of a run.
times(50, () => {
  const watts = pick([250, 300, 350, 450, 700]);
  const hours = pick([0.5, 1, 2, 3.5, 6, 12]);
  const price = pick([0.12, 0.2, 0.3, 0.35]);
  const kwh = round((watts * hours) / 1000, 3);
  return chat(
    `A GPU draws ${watts} W for ${hours} h. What does that cost at ${price} per kWh?`,
    `${round(kwh * price, 2)}: ${watts} W × ${hours} h = ${kwh} kWh, and ${kwh} kWh × ${price} = ${round(kwh * price, 2)}.`,
  );
});

// Short definitions.
const terms = [
  [
    'LoRA',
    'Low-Rank Adaptation: the base weights stay frozen and a small low-rank update B·A is trained for chosen layers.',
  ],
  [
    'QLoRA',
    'LoRA on top of a base model quantised to 4 bits, so a large model fits in less GPU memory while the adapter trains in higher precision.',
  ],
  [
    'DoRA',
    'Weight-Decomposed LoRA: it trains a magnitude vector and a low-rank direction update separately, often closer to full fine-tuning.',
  ],
  [
    'gradient accumulation',
    'summing gradients over several micro-batches before one optimizer step, to reach a larger effective batch in the same memory.',
  ],
  [
    'gradient checkpointing',
    'recomputing activations in the backward pass instead of storing them, trading about 20–30% more compute for much less memory.',
  ],
  [
    'learning-rate warmup',
    'raising the learning rate from near zero over the first steps so early, noisy updates do not destabilise training.',
  ],
  [
    'cosine schedule',
    'a learning rate that decays from its peak to near zero along half a cosine curve over the run.',
  ],
  [
    'eval loss',
    'the loss on held-out validation rows; when it rises while training loss falls, the model is starting to overfit.',
  ],
  [
    'packing',
    'concatenating several short examples into one sequence up to the maximum length, so fewer tokens are wasted on padding.',
  ],
  [
    'chat template',
    'the model-specific text format (roles, special tokens) that turns a list of messages into the exact string the model was trained on.',
  ],
  [
    'completion-only loss',
    'computing the loss only on the assistant tokens, so the model learns to answer rather than to repeat prompts.',
  ],
  [
    'bf16',
    'bfloat16: 16-bit floats with the exponent range of fp32, the usual training precision on Ampere and newer GPUs.',
  ],
  [
    'tokens per second',
    'training throughput: how many tokens of input pass through the model each second, summed over GPUs.',
  ],
  [
    'adapter merge',
    'adding the trained low-rank update into the base weights to get one standalone model with no adapter at inference.',
  ],
  [
    'DPO',
    'Direct Preference Optimization: training on pairs of chosen and rejected answers without a separate reward model.',
  ],
];
for (const [term, def] of terms) {
  chat(`What is ${term}?`, `${term[0].toUpperCase()}${term.slice(1)} is ${def}`);
  chat(`Explain ${term} in one sentence.`, `${term[0].toUpperCase()}${term.slice(1)}: ${def}`);
}

// Two deliberately invalid rows, so the validation view has something to show.
rows.splice(37, 0, {
  messages: [
    { role: 'user', content: 'What is 2 + 2?' },
    { role: 'bot', content: '4' },
  ],
});
rows.splice(181, 0, {
  messages: [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: 'Is anyone there?' },
  ],
});

writeFileSync(out, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
console.log(`${rows.length} rows → ${out}`);
