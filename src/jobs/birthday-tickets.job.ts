import type { MikroORM } from '@mikro-orm/postgresql';
import type { EventBus } from '../realtime/event-bus';
import { TOPICS, type TicketChangedEvent } from '../kernel/topics';
import { createBirthdayTickets } from '../services/tickets/ticket-automation';

/** 07:00 business time, every day (the schedule carries the Asia/Ho_Chi_Minh zone). */
export const birthdayTicketsSchedule = '0 7 * * *';

export async function runBirthdayTickets(
  orm: MikroORM,
  bus: EventBus,
  now = new Date(),
): Promise<number> {
  const ids = await createBirthdayTickets(orm.em.fork(), now);
  for (const ticketId of ids) {
    bus.publish(TOPICS.ticketChanged, {
      ticketId,
      action: 'CREATED',
      changedFields: ['status'],
    } satisfies TicketChangedEvent);
  }
  return ids.length;
}
