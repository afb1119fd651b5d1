import type { MikroORM } from '@mikro-orm/postgresql';
import type { EventBus } from '../realtime/event-bus';
import {
  createBirthdayTickets,
  publishTicketsCreated,
} from '../services/tickets/ticket-automation';

/** 07:00 business time, every day (the schedule carries the Asia/Ho_Chi_Minh zone). */
export const birthdayTicketsSchedule = '0 7 * * *';

export async function runBirthdayTickets(
  orm: MikroORM,
  bus: EventBus,
  now = new Date(),
): Promise<number> {
  const ids = await createBirthdayTickets(orm.em.fork(), now);
  publishTicketsCreated(bus, ids);
  return ids.length;
}
