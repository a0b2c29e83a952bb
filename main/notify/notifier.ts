/**
 * The one way a notification is made: checks the per-kind toggle, stores the row once per event
 * (a unique event key, so a restart or a re-attach never repeats it), and pushes it to the shells,
 * marked for the desktop unless desktop notifications are off or it is quiet hours.
 */
import type { Clock } from '../../db/ids';
import type { NotificationsRepository } from '../../db/repositories/notifications-repository';
import type { Notification, NotificationKind, Settings } from '../../preload/contract';
import type { EventBus } from '../events/event-bus';
import { inQuietHours } from './quiet-hours';

/** A notification to raise. */
export interface NotificationRequest {
  readonly kind: NotificationKind;
  /** Names the event, e.g. `job:<id>:completed:<startedAt>`; the same key is stored only once. */
  readonly eventKey: string;
  readonly title: string;
  readonly body: string | null;
  readonly jobId?: string | null;
  readonly datasetId?: string | null;
}

/** The setting that turns a kind on or off (`info` always shows). */
export function toggleFor(kind: NotificationKind): keyof Settings | null {
  switch (kind) {
    case 'job.completed':
      return 'notifications.onCompleted';
    case 'job.failed':
      return 'notifications.onFailed';
    case 'job.cancelled':
      return 'notifications.onCancelled';
    case 'job.interrupted':
      return 'notifications.onInterrupted';
    case 'dataset.imported':
    case 'model.merged':
    case 'model.exported':
      return 'notifications.onTasks';
    case 'budget.threshold':
      return 'notifications.onBudget';
    case 'info':
      return null;
    default: {
      const never: never = kind;
      throw new Error(`unknown notification kind ${String(never)}`);
    }
  }
}

export interface NotifierDeps {
  readonly repo: NotificationsRepository;
  readonly events: EventBus;
  readonly settings: () => Readonly<Settings>;
  readonly now: Clock;
}

/** Raises notifications. */
export class Notifier {
  constructor(private readonly deps: NotifierDeps) {}

  /** Store and push a notification; null when its kind is turned off or the event was notified already. */
  notify(request: NotificationRequest): Notification | null {
    const settings = this.deps.settings();
    const toggle = toggleFor(request.kind);
    if (toggle !== null && settings[toggle] === false) return null;
    const row = this.deps.repo.createOnce({
      kind: request.kind,
      eventKey: request.eventKey,
      title: request.title,
      body: request.body,
      jobId: request.jobId ?? null,
      datasetId: request.datasetId ?? null,
    });
    if (!row) return null;
    const notification: Notification = {
      id: row.id,
      kind: request.kind,
      jobId: row.jobId,
      datasetId: row.datasetId,
      title: row.title,
      body: row.body,
      read: false,
      createdAt: row.createdAt,
    };
    const desktop =
      settings['notifications.desktop'] &&
      !inQuietHours(this.deps.now(), settings['notifications.quietHours']);
    this.deps.events.emit('notification', { ...notification, desktop });
    this.deps.events.emit('changed', { entity: 'notifications', id: row.id });
    return notification;
  }
}
