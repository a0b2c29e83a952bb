import { useEffect, useRef, useState } from 'react';
import { useClient } from '../../api/client-context';
import { Button } from '../../components/button';
import { ProgressBar } from '../../components/progress-bar';
import { type TaskWatcher, watchTask } from '../../state/task-watcher';

type SetupState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly taskId: string | null; readonly line: string | null }
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly message: string };

/**
 * "Set up Python environment": creates a venv in the data folder and installs the trainer's
 * requirements (needs internet; PyTorch is several GB). pip's latest line shows as it works.
 */
export function PythonSetup() {
  const client = useClient();
  const [state, setState] = useState<SetupState>({ kind: 'idle' });
  const watcher = useRef<TaskWatcher | null>(null);
  useEffect(() => () => watcher.current?.dispose(), []);

  const start = async () => {
    watcher.current?.dispose();
    setState({ kind: 'running', taskId: null, line: null });
    const w = watchTask(client, {
      onProgress: (p) => setState((s) => (s.kind === 'running' ? { ...s, line: p.message } : s)),
      onEnd: (outcome) => {
        w.dispose();
        if (outcome.state === 'completed') setState({ kind: 'done' });
        else if (outcome.state === 'cancelled') setState({ kind: 'idle' });
        else setState({ kind: 'failed', message: outcome.error?.message ?? 'The setup failed.' });
      },
    });
    watcher.current = w;
    try {
      const { taskId } = await client.call('python.setup', {});
      setState((s) => (s.kind === 'running' ? { ...s, taskId } : s));
      w.attach(taskId);
    } catch (error) {
      w.dispose();
      setState({ kind: 'failed', message: (error as Error).message });
    }
  };

  const cancel = () => {
    if (state.kind === 'running' && state.taskId) void client.call('tasks.cancel', { taskId: state.taskId });
  };

  return (
    <div data-testid="python-setup">
      {state.kind === 'running' ? (
        <>
          <ProgressBar value={null} label="Python environment setup" testId="python-setup-progress" />
          <p data-testid="python-setup-line">{state.line ?? 'Starting…'}</p>
          <Button onClick={cancel} disabled={!state.taskId} data-testid="python-setup-cancel">
            Cancel
          </Button>
        </>
      ) : (
        <Button onClick={() => void start()} data-testid="python-setup-start">
          Set up Python environment
        </Button>
      )}
      {state.kind === 'idle' && (
        <p>
          Creates a virtual environment in the data folder and installs PyTorch, transformers and PEFT (needs
          internet; several GB).
        </p>
      )}
      {state.kind === 'done' && (
        <p data-testid="python-setup-done">Python environment ready; it is now the interpreter.</p>
      )}
      {state.kind === 'failed' && (
        <p role="alert" data-testid="python-setup-error">
          {state.message}
        </p>
      )}
    </div>
  );
}
