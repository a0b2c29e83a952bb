/**
 * `npm run bench -- NAME [--json]`: runs one benchmark and prints its figures (one JSON object with
 * --json). Benchmarks report ratios and figures measured in the same run; nothing here asserts time.
 */
import { benchCuration } from './curation';
import { benchImport } from './import';
import { benchMetrics } from './metrics';
import { benchStartup } from './startup';

const BENCHMARKS: Record<string, (args: ReadonlyArray<string>) => Promise<Record<string, number>>> = {
  startup: benchStartup,
  import: benchImport,
  metrics: benchMetrics,
  curation: benchCuration,
};

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const name = args[0]?.startsWith('--') ? undefined : args[0];
  const bench = name ? BENCHMARKS[name] : undefined;
  if (!bench) {
    const message = `Usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}> [--json] [--rows N] [--points N]`;
    if (json) process.stdout.write(`${JSON.stringify({ error: { code: 'USAGE', message } })}\n`);
    else process.stderr.write(`${message}\n`);
    return 2;
  }
  const figures = await bench(args);
  if (json) process.stdout.write(`${JSON.stringify(figures)}\n`);
  else for (const [k, v] of Object.entries(figures)) process.stdout.write(`${k.padEnd(28)} ${v}\n`);
  return 0;
}

main().then((code) => process.exit(code));
