import { WifiOff } from 'lucide-react';
import { useConnectionStore } from '../state/connection-store';
import styles from './connection-banner.module.css';

/** In serve mode, says so when the WebSocket dropped and the client is reconnecting. */
export function ConnectionBanner() {
  const { kind, state } = useConnectionStore();
  if (kind !== 'ws' || state !== 'reconnecting') return null;
  return (
    <div className={styles.banner} role="alert" data-testid="connection-banner">
      <WifiOff size={14} aria-hidden="true" />
      <span>
        <strong>Disconnected — reconnecting…</strong> Changes you make now wait for the connection; the page
        refreshes its data once it is back.
      </span>
    </div>
  );
}
