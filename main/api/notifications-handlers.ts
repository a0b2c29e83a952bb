import type { Entity, Notification } from '../../preload/contract';
import type { Handlers } from './api-router';

/** A stored notification as its owner (the notifications repository) returns it. */
export interface StoredNotification {
  readonly id: string;
  readonly kind: string;
  readonly jobId: string | null;
  readonly datasetId: string | null;
  readonly title: string;
  readonly body: string | null;
  readonly readAt: number | null;
  readonly createdAt: number;
}

/** What the notification channels need from their store. */
export interface NotificationStore {
  list(options: {
    readonly unreadOnly?: boolean;
    readonly limit?: number;
    readonly kinds?: ReadonlyArray<string>;
  }): ReadonlyArray<StoredNotification>;
  markRead(ids?: ReadonlyArray<string>): number;
}

/** A stored row as the contract shows it. */
export function toNotification(row: StoredNotification): Notification {
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

/** The notification centre's channels: list (by kind), mark read (and tell every client to refetch). */
export function createNotificationsHandlers(deps: {
  readonly notifications: NotificationStore;
  readonly changed: (entity: Entity) => void;
}): Pick<Handlers, 'notifications.list' | 'notifications.markRead'> {
  const { notifications, changed } = deps;
  return {
    'notifications.list': (input) => notifications.list(input).map(toNotification),
    'notifications.markRead': (input) => {
      const updated = notifications.markRead(input.ids);
      if (updated > 0) changed('notifications');
      return { updated };
    },
  };
}
