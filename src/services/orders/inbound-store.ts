import { randomUUID } from 'node:crypto';
import { rawRows } from '../../db/raw-sql';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { InboundEventStatus, Platform } from '../../entities/enums';

export type InboxRow = {
  platform: Platform;
  eventKey: string;
  shopId: string | undefined;
  headers: Record<string, string>;
  rawBody: string;
  status: InboundEventStatus;
  lastError?: string;
};

/** How inbox rows reach the table: per row, its new id, or null for a redelivery. */
export type InboxStore = (rows: InboxRow[]) => Promise<(string | null)[]>;

/** Writes through the entity manager, inside its transaction when it has one. */
export const inboxOf =
  (em: EntityManager): InboxStore =>
  (rows) =>
    insertInboxRows(em, rows);

/**
 * Inserts inbox rows, skipping keys already stored. Returns, per row, its new
 * id, or null for a redelivery (including a repeat within the same call).
 */
export async function insertInboxRows(
  em: EntityManager,
  rows: readonly InboxRow[],
): Promise<(string | null)[]> {
  if (rows.length === 0) return [];
  const ids = rows.map(() => randomUUID());
  const now = new Date();
  const inserted = await rawRows<{ id: string }>(
    em,
    `insert into "inbound_event" ("id", "platform", "event_key", "shop_id", "headers", "raw_body", "status", "attempts", "last_error", "received_at")
     values ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, 0, ?, ?)').join(', ')}
     on conflict ("platform", "event_key") do nothing
     returning "id"`,
    rows.flatMap((row, i) => [
      ids[i],
      row.platform,
      row.eventKey,
      row.shopId ?? null,
      JSON.stringify(row.headers),
      row.rawBody,
      row.status,
      row.lastError ?? null,
      now,
    ]),
  );
  const stored = new Set(inserted.map((row) => row.id));
  return ids.map((id) => (stored.has(id) ? id : null));
}

type Waiting = {
  rows: InboxRow[];
  done: (ids: (string | null)[]) => void;
  fail: (e: unknown) => void;
};

/** Rows per INSERT; with 9 values each this stays far below PostgreSQL's parameter limit. */
const MAX_BATCH = 250;

/**
 * Group commit for the webhook inbox: rows of pushes arriving together are
 * written by one INSERT (one round trip, one commit) and each push is
 * answered once its own rows are durable. With nothing in flight a lone push
 * is written at once; under load, pushes queue behind the statements in
 * flight and go together in the next one.
 */
export class InboxWriter {
  private waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly orm: MikroORM,
    private readonly maxInFlight = 2,
  ) {}

  readonly insert: InboxStore = (rows) => {
    return new Promise((done, fail) => {
      this.waiting.push({ rows, done, fail });
      if (this.inFlight < this.maxInFlight) setImmediate(() => this.flush());
    });
  };

  private flush(): void {
    if (this.inFlight >= this.maxInFlight || this.waiting.length === 0) return;
    const batch: Waiting[] = [];
    let size = 0;
    while (this.waiting.length > 0 && size < MAX_BATCH) {
      const next = this.waiting.shift()!;
      batch.push(next);
      size += next.rows.length;
    }
    this.inFlight += 1;
    insertInboxRows(
      this.orm.em.fork(),
      batch.flatMap((w) => w.rows),
    )
      .then((ids) => {
        let offset = 0;
        for (const waiting of batch) {
          waiting.done(ids.slice(offset, offset + waiting.rows.length));
          offset += waiting.rows.length;
        }
      })
      .catch((error: unknown) => batch.forEach((waiting) => waiting.fail(error)))
      .finally(() => {
        this.inFlight -= 1;
        this.flush();
      });
  }
}
