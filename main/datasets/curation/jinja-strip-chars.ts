import { Environment } from '@huggingface/jinja';

type Mode = 'strip' | 'lstrip' | 'rstrip';

/** Python's str.strip/lstrip/rstrip: whitespace when `chars` is None, else any of `chars`. */
export function pythonStrip(text: string, chars: string | null, mode: Mode): string {
  if (chars === null) {
    return mode === 'strip' ? text.trim() : mode === 'lstrip' ? text.trimStart() : text.trimEnd();
  }
  const set = new Set(chars);
  let start = 0;
  let end = text.length;
  if (mode !== 'rstrip') while (start < end && set.has(text[start] ?? '')) start++;
  if (mode !== 'lstrip') while (end > start && set.has(text[end - 1] ?? '')) end--;
  return text.slice(start, end);
}

interface RuntimeLike {
  readonly value: unknown;
  readonly builtins: Map<string, unknown>;
}

let patched = false;

/**
 * @huggingface/jinja's string `strip`, `lstrip` and `rstrip` ignore their argument and strip all
 * whitespace, so Qwen3's `content.lstrip('\n')` eats leading spaces that transformers (Python
 * Jinja) keeps, and token counts drift from the trainer's. The engine does not export its string
 * class, so its methods are corrected once on the prototype of a string it makes.
 */
export function patchJinjaStripChars(): void {
  if (patched) return;
  patched = true;
  const env = new Environment();
  env.set('probe', '');
  const probe = env.lookupVariable('probe') as unknown as RuntimeLike;
  const proto = Object.getPrototypeOf(probe) as object;
  const original = Object.getOwnPropertyDescriptor(proto, 'builtins')?.get;
  const upper = probe.builtins.get('upper');
  if (!original || typeof probe.value !== 'string' || !upper) return;
  const FunctionValue = (upper as { constructor: new (fn: (args: RuntimeLike[]) => unknown) => unknown })
    .constructor;
  const StringValue = probe.constructor as new (value: string) => unknown;
  const fixed = new WeakSet<Map<string, unknown>>();
  Object.defineProperty(proto, 'builtins', {
    configurable: true,
    get(this: RuntimeLike) {
      const map = original.call(this) as Map<string, unknown>;
      if (fixed.has(map)) return map;
      for (const mode of ['strip', 'lstrip', 'rstrip'] as const) {
        map.set(
          mode,
          new FunctionValue((args) => {
            const chars = args[0]?.value;
            return new StringValue(
              pythonStrip(String(this.value), typeof chars === 'string' ? chars : null, mode),
            );
          }),
        );
      }
      fixed.add(map);
      return map;
    },
  });
}
