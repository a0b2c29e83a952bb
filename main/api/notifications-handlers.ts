import type {
  NotificationRow,
  NotificationsRepository,
} from '../../db/repositories/notifications-repository';
import type { Notification } from '../../preload/contract';
import type { EventBus } from '../events/event-bus';
import type { Handlers } from './api-router';

/** A stored row as the contract shows it. */
export function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    kind: row.kind as Notification['kind'],
    jobId: row.jobId,
    datasetId: row.datasetId,
    title: row.title,
    body: row.body,
    read: row.readAt !== null,
    createdAt: row.createdAt,
  };
}

/** The notification centre's channels. */
export function createNotificationsHandlers(deps: {
  readonly notifications: NotificationsRepository;
  readonly events: EventBus;
}): Pick<Handlers, 'notifications.list' | 'notifications.markRead'> {
  const { notifications, events } = deps;
  return {
    'notifications.list': (input) => notifications.list(input).map(toNotification),
    'notifications.markRead': (input) => {
      const updated = notifications.markRead(input.ids);
      if (updated > 0) events.emit('changed', { entity: 'notifications', id: null });
      return { updated };
    },
  };
}
