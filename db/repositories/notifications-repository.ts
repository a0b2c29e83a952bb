import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { type Clock, newId } from '../ids';
import type { Db } from '../open';
import { notifications } from '../schema';

export type NotificationRow = typeof notifications.$inferSelect;

export interface NewNotification {
  readonly kind: string;
  readonly title: string;
  readonly body?: string | null;
  readonly jobId?: string | null;
  readonly datasetId?: string | null;
  /** Unique per event: a second create with the same key stores nothing. */
  readonly eventKey?: string | null;
}

/** The notification centre's storage: newest first, soft-deleted, read state per row. */
export class NotificationsRepository {
  constructor(
    private readonly db: Db,
    private readonly now: Clock = Date.now,
  ) {}

  create(input: NewNotification): NotificationRow {
    const row = this.createOnce(input);
    if (!row) throw new Error(`a notification for event ${input.eventKey} exists already`);
    return row;
  }

  /** Store a notification unless one with the same event key exists; null when it did. */
  createOnce(input: NewNotification): NotificationRow | null {
    const ts = this.now();
    const row = {
      id: newId('ntf', ts),
      kind: input.kind,
      eventKey: input.eventKey ?? null,
      title: input.title,
      body: input.body ?? null,
      jobId: input.jobId ?? null,
      datasetId: input.datasetId ?? null,
      readAt: null,
      createdAt: ts,
      updatedAt: ts,
      deletedAt: null,
    };
    const inserted = this.db.insert(notifications).values(row).onConflictDoNothing().run().changes;
    return inserted > 0 ? row : null;
  }

  list(
    options: {
      readonly unreadOnly?: boolean;
      readonly kinds?: ReadonlyArray<string>;
      readonly limit?: number;
    } = {},
  ): NotificationRow[] {
    const where = and(
      isNull(notifications.deletedAt),
      options.unreadOnly ? isNull(notifications.readAt) : undefined,
      options.kinds && options.kinds.length > 0 ? inArray(notifications.kind, [...options.kinds]) : undefined,
    );
    return this.db
      .select()
      .from(notifications)
      .where(where)
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(options.limit ?? 100)
      .all();
  }

  /** Mark the given ids read, or every unread one when ids is undefined; returns how many changed. */
  markRead(ids?: ReadonlyArray<string>): number {
    const ts = this.now();
    const unread = and(isNull(notifications.deletedAt), isNull(notifications.readAt));
    const where = ids ? and(unread, inArray(notifications.id, [...ids])) : unread;
    return this.db.update(notifications).set({ readAt: ts, updatedAt: ts }).where(where).run().changes;
  }

  softDelete(id: string): boolean {
    const ts = this.now();
    return (
      this.db
        .update(notifications)
        .set({ deletedAt: ts, updatedAt: ts })
        .where(and(eq(notifications.id, id), isNull(notifications.deletedAt)))
        .run().changes > 0
    );
  }
}
