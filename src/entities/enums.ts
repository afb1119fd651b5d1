/**
 * Domain vocabularies. The values are what the database stores and what the
 * API exposes; labels for people live in services/reference-data.ts.
 */

export enum Role {
  ADMIN = 'ADMIN',
  BOD = 'BOD',
  IT = 'IT',
  TELESALES_LEADER = 'TELESALES_LEADER',
  CUSTOMER_SERVICE_LEADER = 'CUSTOMER_SERVICE_LEADER',
  TELESALES = 'TELESALES',
  CUSTOMER_SERVICE = 'CUSTOMER_SERVICE',
  PARTNER = 'PARTNER',
}

export enum TicketTarget {
  TELESALES = 'TELESALES',
  CUSTOMER_SERVICE = 'CUSTOMER_SERVICE',
}

export enum TicketStatus {
  NEW = 'NEW',
  ASSIGNED = 'ASSIGNED',
  COMPLETED = 'COMPLETED',
  CANCELED = 'CANCELED',
}

/**
 * The 8 BR-CRM ticket sources, numbered as in the business rules. 3, 4, 7
 * and 8 are created by the system only (see services/ticket-automation.ts).
 */
export enum TicketSource {
  NEW_CUSTOMER = 'NEW_CUSTOMER',
  COMPLAINT = 'COMPLAINT',
  FOLLOW_UP = 'FOLLOW_UP',
  AFTER_SALE_CARE = 'AFTER_SALE_CARE',
  CONVERSATION = 'CONVERSATION',
  MANUAL = 'MANUAL',
  CONTACT_VERIFICATION = 'CONTACT_VERIFICATION',
  BIRTHDAY = 'BIRTHDAY',
}

export enum TicketResult {
  CALL_LATER = 'CALL_LATER',
  TURN_OFF = 'TURN_OFF',
  NOT_AVAILABLE_CALL = 'NOT_AVAILABLE_CALL',
  MISSED_CALL = 'MISSED_CALL',
  WRONG_NUMBER = 'WRONG_NUMBER',
  WRONG_INFORMATION = 'WRONG_INFORMATION',
  HOLD_POTENTIAL_APPOINTMENT = 'HOLD_POTENTIAL_APPOINTMENT',
  CANCEL_SERVICE = 'CANCEL_SERVICE',
  COMPLETED = 'COMPLETED',
  NOT_INTERESTED = 'NOT_INTERESTED',
}

export enum Platform {
  LAZADA = 'LAZADA',
  SHOPEE = 'SHOPEE',
  TIKI = 'TIKI',
  SENDO = 'SENDO',
  TIKTOK = 'TIKTOK',
  FACEBOOK = 'FACEBOOK',
  ZALO = 'ZALO',
}

export const MARKETPLACES = [
  Platform.LAZADA,
  Platform.SHOPEE,
  Platform.TIKI,
  Platform.SENDO,
  Platform.TIKTOK,
] as const;

/** The normalized order lattice of platforms.md section 9. */
export enum OrderStatus {
  PENDING_PAYMENT = 'PENDING_PAYMENT',
  CONFIRMED = 'CONFIRMED',
  PACKED = 'PACKED',
  READY_TO_SHIP = 'READY_TO_SHIP',
  SHIPPED = 'SHIPPED',
  DELIVERED = 'DELIVERED',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
  FAILED = 'FAILED',
  RETURN_REQUESTED = 'RETURN_REQUESTED',
  RETURNED = 'RETURNED',
}

export enum ChannelStatus {
  ACTIVE = 'ACTIVE',
  TOKEN_EXPIRED = 'TOKEN_EXPIRED',
  DISCONNECTED = 'DISCONNECTED',
  /** Refreshing failed for good: the seller must authorize the app again (channelAuthorizationUrl). */
  NEEDS_REAUTHORIZATION = 'NEEDS_REAUTHORIZATION',
}

export enum ConversationStatus {
  OPEN = 'OPEN',
  PENDING_BOT = 'PENDING_BOT',
  ASSIGNED = 'ASSIGNED',
  RESOLVED = 'RESOLVED',
}

export enum MessageDirection {
  INBOUND = 'INBOUND',
  OUTBOUND = 'OUTBOUND',
}

export enum MessageSender {
  CUSTOMER = 'CUSTOMER',
  AGENT = 'AGENT',
  BOT = 'BOT',
}

/** Inbound messages are RECEIVED; outbound ones go PENDING, then SENT or FAILED. */
export enum MessageStatus {
  RECEIVED = 'RECEIVED',
  PENDING = 'PENDING',
  SENT = 'SENT',
  FAILED = 'FAILED',
}

/** The bot's fallback chain, in order: the first step that can answer does. */
export enum BotStep {
  AI = 'AI',
  KNOWLEDGE_BASE = 'KNOWLEDGE_BASE',
  TEMPLATE = 'TEMPLATE',
  HANDOFF = 'HANDOFF',
}

/**
 * What kind of number a customer's phone is. Every valid number is accepted
 * (a landline shop, a buyer abroad are real customers); the type says which
 * ones the care team can text or call as a mobile.
 */
export enum PhoneType {
  /** A Vietnamese mobile number. */
  MOBILE = 'MOBILE',
  /** A Vietnamese fixed line (area code 2xx). */
  LANDLINE = 'LANDLINE',
  /** Any valid number outside Vietnam. */
  FOREIGN = 'FOREIGN',
  /** A Vietnamese number of another kind: toll-free, premium rate, VoIP. */
  OTHER = 'OTHER',
}

export enum Gender {
  MALE = 'MALE',
  FEMALE = 'FEMALE',
  OTHER = 'OTHER',
}

export enum PaymentStatus {
  PENDING = 'PENDING',
  PAID = 'PAID',
  REFUNDED = 'REFUNDED',
  FAILED = 'FAILED',
}

/** The ticket rules an Admin may run by hand for a business date (the others run on their events). */
export enum TicketAutomationRule {
  /** Source 8, as the 07:00 schedule runs it. */
  BIRTHDAY = 'BIRTHDAY',
}

/** Where a payment was learned from: a caller of recordPayment, or a marketplace's paid status. */
export enum PaymentSource {
  API = 'API',
  MARKETPLACE = 'MARKETPLACE',
}

export enum InboundEventStatus {
  RECEIVED = 'RECEIVED',
  APPLIED = 'APPLIED',
  FAILED = 'FAILED',
  DEAD = 'DEAD',
}

/** A manual order sync's life: QUEUED -> RUNNING -> SUCCEEDED | FAILED. */
export enum OrderSyncStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}

/** What a customer activity entry is (calls and appointments join once they exist). */
export enum ActivityKind {
  NOTE = 'NOTE',
  TICKET_CHANGE = 'TICKET_CHANGE',
  ORDER_STATUS = 'ORDER_STATUS',
  MESSAGE = 'MESSAGE',
}

/** Why customers are listed as likely duplicates. */
export enum DuplicateReason {
  SAME_PHONE = 'SAME_PHONE',
  SAME_EMAIL = 'SAME_EMAIL',
  SAME_PLATFORM_BUYER_ID = 'SAME_PLATFORM_BUYER_ID',
  SIMILAR_NAME_PHONE_SUFFIX = 'SIMILAR_NAME_PHONE_SUFFIX',
}

/** A customer import's life: RUNNING -> SUCCEEDED | FAILED. */
export enum ImportJobStatus {
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}

/** Which team a knowledge-base article serves (BR-CRM-007). */
export enum KnowledgeBaseType {
  TELESALES = 'TELESALES',
  CUSTOMER_SERVICE = 'CUSTOMER_SERVICE',
}

/** What the nightly reconciliation found wrong between orders and payments. */
export enum ReconciliationMismatchKind {
  /** Net paid differs from what the order should have collected by more than 1% of its total. */
  AMOUNT_MISMATCH = 'AMOUNT_MISMATCH',
  /** A delivered or completed order with a total but no paid (or refunded) payment. */
  MISSING_PAYMENT = 'MISSING_PAYMENT',
  /** A paid payment with no order, or whose order no longer exists. */
  MISSING_ORDER = 'MISSING_ORDER',
  /** A payment of the order is in another currency than the order. */
  CURRENCY_MISMATCH = 'CURRENCY_MISMATCH',
}

/** Why a channel needs attention (pushed by the channelAlert subscription). */
export enum ChannelAlertKind {
  TOKEN_EXPIRING = 'TOKEN_EXPIRING',
  TOKEN_EXPIRED = 'TOKEN_EXPIRED',
  /** Refreshing the token failed after its retries; the channel needs re-authorization. */
  REFRESH_FAILED = 'REFRESH_FAILED',
  /** The refresh token or the authorization ends within 7 days. */
  REAUTHORIZE_SOON = 'REAUTHORIZE_SOON',
}

/** A partner webhook endpoint's state: unhealthy endpoints keep their deliveries but are not called. */
export enum WebhookEndpointStatus {
  ACTIVE = 'ACTIVE',
  UNHEALTHY = 'UNHEALTHY',
  DISABLED = 'DISABLED',
}

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}
