import type { Logger } from 'pino';
import { Message } from '../entities';
import { MessageStatus } from '../entities/enums';
import type { OutboundDelivery } from './conversation-contracts';

export const NO_OUTBOUND_ADAPTER = 'no outbound adapter configured';

/**
 * Stands in for the outbound delivery until one is wired into createApp: a
 * queued message is marked FAILED at once, in the caller's transaction, with
 * a reason an operator can read, instead of waiting as PENDING forever.
 */
export function unconfiguredDelivery(logger: Logger): OutboundDelivery {
  return {
    async enqueue(em, messageId) {
      const message = await em.findOneOrFail(Message, messageId);
      message.status = MessageStatus.FAILED;
      message.lastError = NO_OUTBOUND_ADAPTER;
      await em.flush();
      logger.warn({ messageId }, `outbound message not sent: ${NO_OUTBOUND_ADAPTER}`);
    },
  };
}
