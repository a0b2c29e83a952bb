import { WifiOff } from 'lucide-react';
import { useEffect, useState } from 'react';
import { probeServer, type ServerProbe } from '../api/probe-server';
import { useConnectionStore } from '../state/connection-store';
import styles from './connection-banner.module.css';

const PROBE_INTERVAL_MS = 3_000;

/** In serve mode, says so when the WebSocket dropped, why if it can tell, and that it is reconnecting. */
export function ConnectionBanner() {
  const { kind, state } = useConnectionStore();
  const reconnecting = kind === 'ws' && state === 'reconnecting';
  const [probe, setProbe] = useState<ServerProbe>('reachable');

  useEffect(() => {
    if (!reconnecting) {
      setProbe('reachable');
      return;
    }
    let stopped = false;
    const check = async () => {
      const result = await probeServer();
      if (!stopped) setProbe(result);
    };
    void check();
    const timer = setInterval(check, PROBE_INTERVAL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [reconnecting]);

  if (!reconnecting) return null;
  return (
    <div className={styles.banner} role="alert" data-testid="connection-banner" data-probe={probe}>
      <WifiOff size={14} aria-hidden="true" />
      {probe === 'unauthorized' ? (
        <span>
          <strong>Disconnected.</strong> LoRA Studio restarted with a new access token: open the new URL that{' '}
          <code>lora-studio serve</code> printed.
        </span>
      ) : (
        <span>
          <strong>Disconnected — reconnecting…</strong>{' '}
          {probe === 'unreachable'
            ? `The server at ${location.host} does not answer; is lora-studio serve still running?`
            : 'Requests wait for the connection, and the page refreshes its data once it is back.'}
        </span>
      )}
    </div>
  );
}
