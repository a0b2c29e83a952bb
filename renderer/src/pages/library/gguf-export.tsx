import { FileDown } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import { useChannel } from '../../api/use-channel';
import { Button } from '../../components/button';
import styles from './library.module.css';

type OutType = 'f16' | 'bf16' | 'f32' | 'q8_0';

/** GGUF export with llama.cpp's converter, or what is needed for it. */
export function GgufExport({ artifactId }: { artifactId: string }) {
  const client = useClient();
  const { value: status } = useChannel('models.ggufStatus', {}, ['settings']);
  const [outType, setOutType] = useState<OutType>('f16');
  const [taskId, setTaskId] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    if (taskId === null) return;
    return client.on('task', (t) => {
      if (t.taskId !== taskId) return;
      setTaskId(null);
      setOutcome(
        t.state === 'completed'
          ? { ok: true, text: 'GGUF written; it is in the library.' }
          : { ok: false, text: t.error?.message ?? `The export ended ${t.state}.` },
      );
    });
  }, [client, taskId]);
  if (status === null) return null;
  if (!status.available) {
    return (
      <p className={styles.help} data-testid="artifact-gguf-unavailable">
        GGUF: {status.problem} <Link to="/settings">Settings</Link>
      </p>
    );
  }
  const start = async () => {
    setOutcome(null);
    try {
      setTaskId((await client.call('models.exportGguf', { id: artifactId, outType })).taskId);
    } catch (caught) {
      setOutcome({ ok: false, text: toApiError(caught).message });
    }
  };
  return (
    <div className={styles.actions} data-testid="artifact-gguf">
      <select
        aria-label="GGUF type"
        className={styles.dtype}
        value={outType}
        onChange={(e) => setOutType(e.target.value as OutType)}
      >
        <option value="f16">f16</option>
        <option value="bf16">bf16</option>
        <option value="f32">f32</option>
        <option value="q8_0">q8_0</option>
      </select>
      <Button onClick={() => void start()} disabled={taskId !== null} data-testid="artifact-gguf-start">
        <FileDown size={13} aria-hidden="true" /> {taskId === null ? 'GGUF LoRA' : 'Converting…'}
      </Button>
      <span className={styles.sub}>llama.cpp {status.version ?? ''}</span>
      {outcome !== null && (
        <span className={outcome.ok ? styles.ok : styles.error} role="status">
          {outcome.text}
        </span>
      )}
    </div>
  );
}
