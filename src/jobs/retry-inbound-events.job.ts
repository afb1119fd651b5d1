import type { MikroORM } from '@mikro-orm/postgresql';
import { platformModules } from '../integrations';
import type { EventBus } from '../realtime/event-bus';
import type { ChatApplier } from '../services/conversations/conversation-inbox.service';
import { inboundService } from '../services/orders/inbound.service';
import type { OrderSync } from '../services/orders/order-enrichment.service';

/** Every minute: pushes stored but never applied (a crash after the ack) and failed ones past their backoff. */
export const retryInboundEventsSchedule = '* * * * *';

export async function retryInboundEvents(
  orm: MikroORM,
  bus: EventBus,
  maxAttempts: number,
  now = new Date(),
  /** Without it Sendo pushes cannot be confirmed and wait; nothing is enriched. */
  sync?: OrderSync,
  /** Without it chat messages wait for a process that has the conversation inbox. */
  chat?: ChatApplier,
): Promise<{ applied: number; failed: number }> {
  const ids = await inboundService.due(orm.em.fork(), now);
  let applied = 0;
  let failed = 0;
  for (const id of ids) {
    const outcome = await inboundService.apply(
      { orm, bus, modules: platformModules, maxAttempts, sync, chat },
      id,
    );
    if (outcome === 'applied') applied += 1;
    else if (outcome === 'failed' || outcome === 'dead') failed += 1;
  }
  return { applied, failed };
}
