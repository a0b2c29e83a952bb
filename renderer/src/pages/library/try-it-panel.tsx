import { Play, Square } from 'lucide-react';
import { type FormEvent, useEffect, useState } from 'react';
import { toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import { Button } from '../../components/button';
import styles from './library.module.css';

type Side = 'base' | 'adapter';

interface SideState {
  readonly text: string;
  readonly state: 'idle' | 'waiting' | 'streaming' | 'done' | 'error';
  readonly note: string | null;
}

const IDLE: SideState = { text: '', state: 'idle', note: null };

/**
 * Try it: one prompt, the base model and the adapter side by side, with the chat template the run
 * used; temperature, max tokens and stop strings. The text streams in as it is generated.
 */
export function TryItPanel({ artifactId, kind }: { artifactId: string; kind: string }) {
  const client = useClient();
  const [prompt, setPrompt] = useState('');
  const [system, setSystem] = useState('');
  const [temperature, setTemperature] = useState('0.7');
  const [maxTokens, setMaxTokens] = useState('128');
  const [stop, setStop] = useState('');
  const [sessionId, setSessionId] = useState<string | null>(null);
  const [sides, setSides] = useState<Record<Side, SideState>>({ base: IDLE, adapter: IDLE });
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (sessionId === null) return;
    const offGen = client.on('generate', (e) => {
      if (e.sessionId !== sessionId) return;
      setSides((prev) => {
        const side = prev[e.side];
        if (e.type === 'token')
          return { ...prev, [e.side]: { ...side, text: side.text + (e.text ?? ''), state: 'streaming' } };
        if (e.type === 'done')
          return { ...prev, [e.side]: { ...side, state: 'done', note: `${e.tokens ?? 0} tokens` } };
        return { ...prev, [e.side]: { ...side, state: 'error', note: e.message } };
      });
    });
    const offTask = client.on('task', (t) => {
      if (t.taskId === sessionId) setSessionId(null);
    });
    return () => {
      offGen();
      offTask();
    };
  }, [client, sessionId]);

  const run = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const t = Number(temperature);
    const m = Number(maxTokens);
    if (!Number.isFinite(t) || t < 0 || t > 2) return setError('Temperature is a number from 0 to 2.');
    if (!Number.isInteger(m) || m < 1 || m > 4096)
      return setError('Max tokens is a whole number from 1 to 4096.');
    const stops = stop
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    setSides({ base: { ...IDLE, state: 'waiting' }, adapter: { ...IDLE, state: 'waiting' } });
    try {
      const started = await client.call('models.generate', {
        id: artifactId,
        prompt,
        ...(system.trim() ? { system } : {}),
        temperature: t,
        maxTokens: m,
        ...(stops.length > 0 ? { stop: stops.slice(0, 4) } : {}),
      });
      setSessionId(started.sessionId);
    } catch (caught) {
      setSides({ base: IDLE, adapter: IDLE });
      setError(toApiError(caught).message);
    }
  };

  const pane = (side: Side, title: string) => {
    const s = sides[side];
    return (
      <div className={styles.tryPane} data-testid={`try-${side}`} data-state={s.state}>
        <div className={styles.tryHead}>
          <strong>{title}</strong>
          <span className={s.state === 'error' ? styles.error : styles.sub}>
            {s.state === 'waiting' ? 'waiting…' : s.state === 'streaming' ? 'generating…' : (s.note ?? '')}
          </span>
        </div>
        <pre className={styles.tryText} data-testid={`try-${side}-text`}>
          {s.text}
        </pre>
      </div>
    );
  };

  return (
    <form className={styles.tryIt} onSubmit={run} data-testid="try-it">
      <h3 className={styles.tryTitle}>Try it</h3>
      <textarea
        aria-label="Prompt"
        placeholder="A prompt, rendered with the run's chat template"
        value={prompt}
        onChange={(e) => setPrompt(e.target.value)}
        rows={3}
        data-testid="try-prompt"
      />
      <details className={styles.more}>
        <summary>System message, temperature, max tokens, stop</summary>
        <textarea
          aria-label="System message"
          value={system}
          onChange={(e) => setSystem(e.target.value)}
          rows={2}
        />
        <div className={styles.tryOptions}>
          <label>
            Temperature{' '}
            <input
              value={temperature}
              onChange={(e) => setTemperature(e.target.value)}
              inputMode="decimal"
              data-testid="try-temperature"
            />
          </label>
          <label>
            Max tokens{' '}
            <input
              value={maxTokens}
              onChange={(e) => setMaxTokens(e.target.value)}
              inputMode="numeric"
              data-testid="try-max-tokens"
            />
          </label>
          <label>
            Stop{' '}
            <input
              value={stop}
              onChange={(e) => setStop(e.target.value)}
              placeholder="comma-separated"
              data-testid="try-stop"
            />
          </label>
        </div>
      </details>
      <div className={styles.actions}>
        {sessionId === null ? (
          <Button type="submit" variant="primary" disabled={prompt.trim() === ''} data-testid="try-run">
            <Play size={13} aria-hidden="true" /> Generate
          </Button>
        ) : (
          <Button
            onClick={() => void client.call('tasks.cancel', { taskId: sessionId })}
            data-testid="try-stop-run"
          >
            <Square size={13} aria-hidden="true" /> Stop
          </Button>
        )}
      </div>
      {error !== null && (
        <p className={styles.error} role="alert" data-testid="try-error">
          {error}
        </p>
      )}
      <div className={styles.tryPanes}>
        {pane('base', 'Base model')}
        {pane('adapter', kind === 'merged' ? 'Merged model' : 'With the adapter')}
      </div>
    </form>
  );
}
