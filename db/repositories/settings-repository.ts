import { eq } from 'drizzle-orm';
import type { Clock } from '../ids';
import type { Db } from '../open';
import { settings } from '../schema';

/** Raw key → JSON value storage; which keys exist and their types live in the contract. */
export class SettingsRepository {
  constructor(
    private readonly db: Db,
    private readonly now: Clock = Date.now,
  ) {}

  /** Every stored key with its parsed value. */
  all(): Map<string, unknown> {
    const rows = this.db.select().from(settings).all();
    return new Map(rows.map((r) => [r.key, JSON.parse(r.valueJson) as unknown]));
  }

  get(key: string): unknown {
    const row = this.db.select().from(settings).where(eq(settings.key, key)).get();
    return row ? (JSON.parse(row.valueJson) as unknown) : undefined;
  }

  /** Write several keys in one transaction: all or nothing. */
  setMany(values: ReadonlyArray<readonly [string, unknown]>): void {
    const ts = this.now();
    this.db.transaction((tx) => {
      for (const [key, value] of values) {
        const valueJson = JSON.stringify(value);
        tx.insert(settings)
          .values({ key, valueJson, createdAt: ts, updatedAt: ts })
          .onConflictDoUpdate({ target: settings.key, set: { valueJson, updatedAt: ts } })
          .run();
      }
    });
  }
}
