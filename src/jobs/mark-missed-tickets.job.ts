import type { MikroORM } from '@mikro-orm/postgresql';
import type { EventBus } from '../realtime/event-bus';
import { TOPICS, type TicketChangedEvent } from '../kernel/topics';

/** Every minute: open tickets whose due time has passed become missed (the `missed` filter). */
export const markMissedTicketsSchedule = '* * * * *';

/**
 * One statement marks the tickets and writes their history rows, so a
 * crash cannot leave one without the other; returns the marked ids.
 */
export async function markMissedTickets(
  orm: MikroORM,
  bus?: EventBus,
  now: Date = new Date(),
): Promise<string[]> {
  const rows = await orm.em.fork().execute<{ ticket_id: string }[]>(
    `with marked as (
       update "ticket" set "is_missed" = true, "version" = "version" + 1, "updated_at" = ?
       where "status" in ('NEW', 'ASSIGNED') and "due_at" < ? and not "is_missed"
       returning "id"
     )
     insert into "ticket_history" ("id", "ticket_id", "actor_id", "field", "before", "after", "created_at")
     select gen_random_uuid(), "id", null, 'isMissed', 'false', 'true', ? from marked
     returning "ticket_id"`,
    [now, now, now],
  );
  const ids = rows.map((row) => row.ticket_id);
  for (const ticketId of ids) {
    bus?.publish(TOPICS.ticketChanged, {
      ticketId,
      action: 'MISSED',
      changedFields: ['isMissed'],
    } satisfies TicketChangedEvent);
  }
  return ids;
}
