import type { ChannelAlertKind, OrderSyncStatus } from '../entities/enums';

/** The event bus's topics and their payloads: what every layer may publish or read. */
export const TOPICS = {
  ticketChanged: 'TICKET_CHANGED',
  orderChanged: 'ORDER_CHANGED',
  credentialsRevoked: 'CREDENTIALS_REVOKED',
  ticketReminder: 'TICKET_REMINDER',
  messageAdded: 'MESSAGE_ADDED',
  conversationChanged: 'CONVERSATION_CHANGED',
  channelAlert: 'CHANNEL_ALERT',
  orderSyncProgress: 'ORDER_SYNC_PROGRESS',
  customerChanged: 'CUSTOMER_CHANGED',
  importJobProgress: 'IMPORT_JOB_PROGRESS',
  partnerWebhooksDue: 'PARTNER_WEBHOOKS_DUE',
} as const;

/** A partner endpoint has deliveries to send now (re-enabled, redelivery asked); JSON-safe. */
export type PartnerWebhooksDueEvent = { endpointId: string };

/** A manual order sync moved (claimed, a page applied, finished); JSON-safe, it crosses Redis. */
export type OrderSyncProgressEvent = { jobId: string; status: OrderSyncStatus };

/** A customer import wrote a batch or finished; JSON-safe, it crosses Redis. */
export type ImportJobProgressEvent = { jobId: string };

/** A channel's platform token expires soon or has expired; JSON-safe, it crosses Redis. */
export type ChannelAlertEvent = {
  channelId: string;
  kind: ChannelAlertKind;
  tokenExpiresAt: string;
  daysLeft: number;
};

/** A ticket's due time is near: for its owner only. */
export type TicketReminderEvent = { ticketId: string; assigneeId: string; dueAt: string };

/** A user deactivated or an API key revoked: their open streams end at once. */
export type CredentialsRevokedEvent = { userId?: string; apiKeyId?: string };

export type TicketChangedEvent = {
  ticketId: string;
  /** CREATED, UPDATED, ASSIGNED, COMPLETED, CANCELED, REOPENED, NOTE_ADDED, MISSED */
  action: string;
  changedFields: string[];
};
export type OrderChangedEvent = { orderId: string };

/**
 * A customer record changed. After a merge, `customerId` is the survivor and
 * `relatedIds` the merged ids; after an un-merge, the reverse.
 */
export type CustomerChangedEvent = {
  customerId: string;
  action: 'CREATED' | 'UPDATED' | 'MERGED' | 'UNMERGED' | 'ERASED' | 'NOTE_ADDED' | 'LABELS_SET';
  relatedIds: string[];
};
