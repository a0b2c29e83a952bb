import type { SetupReport } from '../../preload/contract';
import { type CliContext, call } from './cli-context';
import { CliExit } from './cli-error';

export const SETUP_USAGE =
  '  setup                                  First-run checks (GPU, Python, disk, base model, dataset), each with its fix; exit 1 if one fails';

const MARK: Readonly<Record<SetupReport['steps'][number]['verdict'], string>> = {
  ok: 'ok  ',
  warn: 'warn',
  fail: 'FAIL',
};

/** The report as a person reads it: one line per step, the fix indented under it. */
export function formatSetup(report: SetupReport): string {
  const lines = report.steps.flatMap((step) => {
    const head = `[${MARK[step.verdict]}] ${step.id.padEnd(8)} ${step.message}`;
    if (step.fix === null) return [head];
    const how = step.fix.command === null ? '' : `: ${step.fix.command}`;
    return [head, `                fix: ${step.fix.label}${how}`];
  });
  lines.push(
    '',
    report.online ? 'Online: the Hub and PyPI answer.' : 'Offline: the Hub and PyPI did not answer.',
  );
  return lines.join('\n');
}

/** `setup`: the first-run checks; prints every step, then exits 1 when any step failed. */
export function setupCommand(ctx: CliContext): Promise<void> {
  return ctx.withCore(async (core) => {
    const report = await call(core, 'setup.check', {});
    ctx.print(report, () => formatSetup(report));
    if (report.steps.some((s) => s.verdict === 'fail')) throw new CliExit(1);
  });
}
