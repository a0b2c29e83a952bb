import { describe, expect, it } from 'vitest';
import { decideOutcome, type ExitFacts } from '../../../main/training/job-outcome';

const base: ExitFacts = {
  exitKnown: true,
  exitCode: 0,
  signal: null,
  terminal: null,
  cancelRequested: false,
  unexplained: 'failed',
};
const done = (status: 'completed' | 'cancelled') =>
  ({ kind: 'done', at: 1, seq: 9, status, step: 10, adapterPath: 'adapter' }) as const;
const error = { kind: 'error', at: 1, seq: 9, message: 'RuntimeError: boom', oom: false } as const;

describe('deciding how a run ended', () => {
  it.each<[string, Partial<ExitFacts>, string, RegExp | null]>([
    ['exit 0 + done(completed)', { terminal: done('completed') }, 'completed', null],
    ['exit 0 without done', {}, 'failed', /code 0 without reporting completion/],
    ['exit 3', { exitCode: 3 }, 'cancelled', null],
    ['done(cancelled)', { exitCode: 0, terminal: done('cancelled') }, 'cancelled', null],
    [
      'exit 1 + error event',
      { exitCode: 1, terminal: error },
      'failed',
      /RuntimeError: boom \(the trainer exited with code 1\)/,
    ],
    [
      'SIGKILL',
      { exitCode: null, signal: 'SIGKILL' },
      'failed',
      /^the trainer was killed by SIGKILL \(often the system running out of memory/,
    ],
    ['SIGKILL after cancel', { exitCode: null, signal: 'SIGKILL', cancelRequested: true }, 'cancelled', null],
    [
      'done(completed) but exit 1',
      { exitCode: 1, terminal: done('completed') },
      'failed',
      /reported completion/,
    ],
    ['re-attached, done(completed)', { exitKnown: false, terminal: done('completed') }, 'completed', null],
    ['re-attached, no final event', { exitKnown: false }, 'failed', /exit code unknown/],
    [
      'app was down, no final event',
      { exitKnown: false, unexplained: 'interrupted' },
      'interrupted',
      /resume/,
    ],
    ['spawn failure', { launchError: 'could not start the trainer: ENOENT' }, 'failed', /ENOENT/],
  ])('%s', (_name, facts, status, reason) => {
    const decision = decideOutcome({ ...base, ...facts });
    expect(decision.status).toBe(status);
    if (reason) expect(decision.reason).toMatch(reason);
    else expect(decision.reason).toBeNull();
  });
});
