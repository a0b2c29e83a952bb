import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { useClient } from '../api/client-context';
import { Button } from '../components/button';
import styles from './notifications-bell.module.css';

const supported = () => typeof window !== 'undefined' && 'Notification' in window;

/**
 * Browser mode: shows each notification the core marks for the desktop with the Web Notification
 * API once the person allowed it (the desktop app's Electron shell shows its own). Clicking one
 * focuses the tab and opens the job.
 */
export function useDesktopNotifications(): void {
  const client = useClient();
  const navigate = useNavigate();
  useEffect(() => {
    if (client.kind !== 'ws' || !supported()) return;
    return client.on('notification', (n) => {
      if (!n.desktop || window.Notification.permission !== 'granted') return;
      const popup = new window.Notification(n.title, { body: n.body ?? undefined, tag: n.id });
      popup.onclick = () => {
        window.focus();
        if (n.jobId !== null) navigate(`/training/jobs/${n.jobId}`);
        else if (n.datasetId !== null) navigate(`/datasets/${n.datasetId}`);
        popup.close();
      };
    });
  }, [client, navigate]);
}

/** Browser mode: asks once, from a click, whether notifications may also show on the desktop. */
export function DesktopPermission() {
  const client = useClient();
  const [permission, setPermission] = useState(() =>
    supported() ? window.Notification.permission : 'unsupported',
  );
  if (client.kind !== 'ws' || permission === 'granted' || permission === 'unsupported') return null;
  return (
    <div className={styles.permission} data-testid="notifications-permission">
      {permission === 'denied' ? (
        <span>Desktop notifications are blocked for this page in the browser's site settings.</span>
      ) : (
        <>
          <span>Also show them on this desktop?</span>
          <Button
            variant="ghost"
            onClick={() => void window.Notification.requestPermission().then(setPermission)}
            data-testid="notifications-allow-desktop"
          >
            Allow
          </Button>
        </>
      )}
    </div>
  );
}
