import type { MikroORM } from '@mikro-orm/postgresql';
import type { EventBus } from '../realtime/event-bus';
import { TOPICS, type TicketReminderEvent } from '../kernel/topics';

export const remindDueTicketsSchedule = '* * * * *';

/** How long before the due time the owner is reminded. */
export const REMIND_BEFORE_MS = 30 * 60_000;

/** Reminds each owner once per due time; moving the due time re-arms the reminder. */
export async function remindDueTickets(
  orm: MikroORM,
  bus: EventBus,
  now = new Date(),
): Promise<number> {
  const rows = await orm.em.fork().execute<{ id: string; assignee_id: string; due_at: Date }[]>(
    `update "ticket" set "reminded_at" = ?
     where "status" in ('NEW', 'ASSIGNED') and "assignee_id" is not null and "reminded_at" is null
       and "due_at" >= ? and "due_at" <= ?
     returning "id", "assignee_id", "due_at"`,
    [now, now, new Date(now.getTime() + REMIND_BEFORE_MS)],
  );
  for (const row of rows) {
    bus.publish(TOPICS.ticketReminder, {
      ticketId: row.id,
      assigneeId: row.assignee_id,
      dueAt: new Date(row.due_at).toISOString(),
    } satisfies TicketReminderEvent);
  }
  return rows.length;
}
