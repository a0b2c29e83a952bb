import { create } from 'zustand';
import type { ApiError, Notification } from '../../../preload/contract';

/** How many notifications the bell fetches (newest first). */
export const NOTIFICATIONS_LIMIT = 100;

/** The newest notifications and how many of them are unread. */
export interface NotificationsState {
  readonly items: ReadonlyArray<Notification>;
  readonly unread: number;
  readonly loaded: boolean;
  readonly error: ApiError | null;
}

/** Notifications for the bell. */
export const useNotificationsStore = create<NotificationsState>()(() => ({
  items: [],
  unread: 0,
  loaded: false,
  error: null,
}));
