import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * The seams between the conversation parts: inbound messages and threads
 * (conversation inbox), the bot with its fallback chain and handoff, and
 * outbound delivery. Each side depends on these shapes only.
 */

/** Published on TOPICS.messageAdded after the message's transaction commits. */
export type MessageAddedEvent = { conversationId: string; messageId: string };

export type ConversationChangeAction =
  'CREATED' | 'MESSAGE' | 'READ' | 'HANDED_OFF' | 'ASSIGNED' | 'RESOLVED' | 'REOPENED';

/** Published on TOPICS.conversationChanged after commit. */
export type ConversationChangedEvent = {
  conversationId: string;
  action: ConversationChangeAction;
  /** For ASSIGNED: who had it before (told too, so a reassigned agent's view updates). */
  previousAssigneeId?: string | null;
};

/** The bot: called once an inbound customer message has committed, for a conversation no person holds. */
export interface ConversationBot {
  onCustomerMessage(conversationId: string, messageId: string): Promise<void>;
}

/**
 * Outbound delivery: a PENDING outbound message (agent or bot) is queued for
 * sending inside the caller's transaction, so it is sent exactly when it
 * exists; delivery marks it SENT or FAILED and retries with backoff.
 */
export interface OutboundDelivery {
  enqueue(em: EntityManager, messageId: string): Promise<void>;
  /**
   * After the caller's commit: try the first send at once rather than at
   * the queue's next poll (a buyer is waiting for the bot). The queued job
   * stays the durable path; the message's claim keeps it to one send.
   */
  sendNow?(messageId: string): Promise<void>;
}
