import {
  Bell,
  CheckCheck,
  CircleAlert,
  CircleCheck,
  CircleSlash,
  Database,
  GitMerge,
  Info,
  PackageCheck,
  PiggyBank,
  Unplug,
} from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { Notification, NotificationKind } from '../../../preload/contract';
import { toApiError } from '../api/api-call-error';
import { useClient } from '../api/client-context';
import { Button } from '../components/button';
import { formatDateTime, formatRelative } from '../format/format';
import { useNotificationsStore } from '../state/notifications-store';
import { DesktopPermission, useDesktopNotifications } from './desktop-notifications';
import styles from './notifications-bell.module.css';

const KIND_ICON = {
  'job.completed': CircleCheck,
  'job.failed': CircleAlert,
  'job.cancelled': CircleSlash,
  'job.interrupted': Unplug,
  'dataset.imported': Database,
  'model.merged': GitMerge,
  'model.exported': PackageCheck,
  'budget.threshold': PiggyBank,
  info: Info,
} as const satisfies Record<Notification['kind'], unknown>;

/** The filter's groups of kinds. */
const FILTERS: ReadonlyArray<{
  readonly label: string;
  readonly kinds: ReadonlyArray<NotificationKind> | null;
}> = [
  { label: 'All', kinds: null },
  { label: 'Runs', kinds: ['job.completed', 'job.failed', 'job.cancelled', 'job.interrupted'] },
  { label: 'Failures', kinds: ['job.failed', 'job.interrupted'] },
  { label: 'Datasets', kinds: ['dataset.imported'] },
  { label: 'Models', kinds: ['model.merged', 'model.exported'] },
  { label: 'Budget', kinds: ['budget.threshold'] },
];

/** Where clicking a notification goes. */
function targetOf(item: Notification): string | null {
  if (item.kind === 'budget.threshold') return '/costs';
  if (item.kind === 'model.exported' || item.kind === 'model.merged') return '/models';
  if (item.jobId !== null) return `/training/jobs/${item.jobId}`;
  if (item.datasetId !== null) return `/datasets/${item.datasetId}`;
  return null;
}

/** The bell with the unread count; opens a popover listing notifications with "Mark all read". */
export function NotificationsBell() {
  const client = useClient();
  const { items, unread, error } = useNotificationsStore();
  const [open, setOpen] = useState(false);
  const [marking, setMarking] = useState(false);
  const [markError, setMarkError] = useState<string | null>(null);
  const [filter, setFilter] = useState(0);
  const navigate = useNavigate();
  useDesktopNotifications();
  const containerRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const popoverRef = useRef<HTMLDivElement>(null);
  const popoverId = useId();
  const headingId = useId();

  useEffect(() => {
    if (!open) return;
    popoverRef.current?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (!containerRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [open]);

  const markAllRead = async () => {
    setMarking(true);
    setMarkError(null);
    try {
      await client.call('notifications.markRead', {});
      // The core also pushes `changed`; updating here makes the badge drop at once.
      useNotificationsStore.setState((state) => ({
        items: state.items.map((item) => (item.read ? item : { ...item, read: true })),
        unread: 0,
      }));
    } catch (caught) {
      setMarkError(toApiError(caught).message);
    } finally {
      setMarking(false);
    }
  };

  const openItem = async (item: Notification) => {
    if (!item.read) {
      useNotificationsStore.setState((state) => ({
        items: state.items.map((i) => (i.id === item.id ? { ...i, read: true } : i)),
        unread: Math.max(0, state.unread - 1),
      }));
      await client.call('notifications.markRead', { ids: [item.id] }).catch((caught: unknown) => {
        setMarkError(toApiError(caught).message);
      });
    }
    const target = targetOf(item);
    if (target !== null) {
      setOpen(false);
      navigate(target);
    }
  };
  const kinds = FILTERS[filter]?.kinds ?? null;
  const shown = kinds === null ? items : items.filter((item) => kinds.includes(item.kind));

  const badge = unread > 99 ? '99+' : String(unread);
  const label = unread === 0 ? 'Notifications' : `Notifications, ${unread} unread`;

  return (
    <div className={styles.container} ref={containerRef}>
      <button
        ref={buttonRef}
        type="button"
        className={styles.bell}
        data-testid="notifications-bell"
        aria-label={label}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? popoverId : undefined}
        onClick={() => setOpen((value) => !value)}
      >
        <Bell size={16} strokeWidth={1.75} aria-hidden="true" />
        {unread > 0 && (
          <span className={styles.badge} data-testid="notifications-unread" aria-hidden="true">
            {badge}
          </span>
        )}
      </button>
      {open && (
        <div
          ref={popoverRef}
          id={popoverId}
          className={styles.popover}
          role="dialog"
          aria-labelledby={headingId}
          tabIndex={-1}
          data-testid="notifications-popover"
        >
          <div className={styles.head}>
            <h2 id={headingId} className={styles.heading}>
              Notifications
            </h2>
            <Button
              variant="ghost"
              onClick={markAllRead}
              disabled={unread === 0 || marking}
              data-testid="notifications-mark-all"
            >
              <CheckCheck size={14} aria-hidden="true" />
              Mark all read
            </Button>
          </div>
          <fieldset className={styles.filters} aria-label="Show">
            {FILTERS.map((f, i) => (
              <button
                key={f.label}
                type="button"
                className={i === filter ? `${styles.filter} ${styles.filterOn}` : styles.filter}
                aria-pressed={i === filter}
                onClick={() => setFilter(i)}
                data-testid={`notifications-filter-${f.label.toLowerCase()}`}
              >
                {f.label}
              </button>
            ))}
          </fieldset>
          <DesktopPermission />
          {(markError ?? error?.message) && (
            <p className={styles.error} role="alert">
              {markError ?? error?.message}
            </p>
          )}
          {items.length === 0 ? (
            <p className={styles.empty} data-testid="notifications-empty">
              No notifications. You will be told here when a training run completes or fails — and on the
              desktop too, if that is switched on in Settings.
            </p>
          ) : shown.length === 0 ? (
            <p className={styles.empty} data-testid="notifications-none-shown">
              None of this kind.
            </p>
          ) : (
            <ul className={styles.list} data-testid="notifications-list">
              {shown.map((item) => (
                <NotificationRow key={item.id} item={item} onOpen={() => void openItem(item)} />
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

function NotificationRow({ item, onOpen }: { item: Notification; onOpen: () => void }) {
  const Icon = KIND_ICON[item.kind];
  return (
    <li
      className={item.read ? styles.item : `${styles.item} ${styles.unread}`}
      data-testid="notification-item"
      data-read={item.read}
      data-kind={item.kind}
    >
      <Icon
        className={styles[item.kind.split('.')[1] ?? 'info'] ?? styles.info}
        size={15}
        aria-hidden="true"
      />
      <button type="button" className={styles.itemText} onClick={onOpen} data-testid="notification-open">
        <div className={styles.itemTitle}>
          {item.title}
          {!item.read && <span className="visually-hidden"> (unread)</span>}
        </div>
        {item.body !== null && <div className={styles.itemBody}>{item.body}</div>}
        <time
          className={styles.itemTime}
          dateTime={new Date(item.createdAt).toISOString()}
          title={formatDateTime(item.createdAt)}
        >
          {formatRelative(item.createdAt)}
        </time>
      </button>
    </li>
  );
}
