import type { MikroORM } from '@mikro-orm/postgresql';
import { Ticket } from '../entities';
import { TicketStatus } from '../entities/enums';

/** Every minute: open tickets whose due time has passed become missed (the `missed` filter). */
export const markMissedTicketsSchedule = '* * * * *';

export async function markMissedTickets(orm: MikroORM, now: Date = new Date()): Promise<number> {
  const em = orm.em.fork();
  return em.nativeUpdate(
    Ticket,
    {
      status: { $in: [TicketStatus.NEW, TicketStatus.ASSIGNED] },
      dueAt: { $lt: now },
      isMissed: false,
    },
    { isMissed: true },
  );
}
