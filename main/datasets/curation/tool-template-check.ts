import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { CanonicalRowSchema, conversationsOf } from '../../../preload/contract';
import { formatCount } from '../readers/source-record';
import { ChatRenderer } from './row-tokenizer';

/** Row numbers named in the message; the rest are counted. */
const NAMED = 5;

/** Names a rendered row must contain: its tools' and its calls' (missing ones are listed). */
function missingNames(row: ReturnType<typeof CanonicalRowSchema.parse>, text: string): string[] {
  if ('text' in row) return [];
  const names = [
    ...(row.tools ?? []).map((t) => t.function.name),
    ...conversationsOf(row)
      .flat()
      .flatMap((m) => (m.tool_calls ?? []).map((c) => c.function.name)),
  ];
  return [...new Set(names.filter((n) => !text.includes(n)))];
}

/**
 * Whether the model's chat template keeps the tool definitions and calls of a frozen version's
 * rows (the trainer renders them with `tools=`): null when it does or no row uses tools, else a
 * sentence naming the rows whose tools or calls it leaves out. Lines without `"tool` are skipped
 * unparsed, so a dataset without tools costs one read of the file.
 */
export async function toolTemplateProblem(file: string, modelDir: string): Promise<string | null> {
  let renderer: ChatRenderer | null = null;
  const failing: number[] = [];
  let missing = new Set<string>();
  const lines = createInterface({
    input: createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.includes('"tool')) continue;
    const { row: rowIndex, split: _split, ...rest } = JSON.parse(line) as Record<string, unknown>;
    const parsed = CanonicalRowSchema.safeParse(rest);
    if (!parsed.success || 'text' in parsed.data) continue;
    const hasTools =
      (parsed.data.tools?.length ?? 0) > 0 ||
      conversationsOf(parsed.data).some((c) => c.some((m) => m.tool_calls));
    if (!hasTools) continue;
    renderer ??= new ChatRenderer(modelDir);
    if (!renderer.hasChatTemplate) return null; // the tokenizer check already says what is wrong
    let text: string;
    try {
      text = (renderer.render(parsed.data) ?? []).join('\n');
    } catch {
      continue; // the template refuses the row for another reason; the trainer reports it
    }
    const gone = missingNames(parsed.data, text);
    if (gone.length > 0) {
      failing.push(typeof rowIndex === 'number' ? rowIndex + 1 : n);
      missing = new Set([...missing, ...gone]);
    }
  }
  if (failing.length === 0) return null;
  const named = failing.slice(0, NAMED).map((r) => formatCount(r));
  const more = failing.length > NAMED ? ` and ${formatCount(failing.length - NAMED)} more` : '';
  return (
    `The model's chat template does not render tools: ${formatCount(failing.length)} ` +
    `row${failing.length === 1 ? '' : 's'} (row ${named.join(', ')}${more}) would train without their tool ` +
    `definitions or calls (${[...missing].slice(0, 5).join(', ')}). Choose a model whose chat template ` +
    'supports tools (e.g. Qwen3, Llama 3.1), or remove those rows.'
  );
}
