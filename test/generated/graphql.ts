import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar.This scalar is serialized to a string in ISO 8601 format and parsed from a string in ISO 8601 format. */
  DateTimeISO: { input: string; output: string; }
  /** The `JSON` scalar type represents JSON values as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf). */
  JSON: { input: unknown; output: unknown; }
  /** The `JSONObject` scalar type represents JSON objects as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf). */
  JSONObject: { input: Record<string, unknown>; output: Record<string, unknown>; }
  /** The `SafeInt` scalar type represents non-fractional signed whole numeric values that are considered safe as defined by the ECMAScript specification. */
  SafeInt: { input: number; output: number; }
};

/** One entry of a customer's activity feed. */
export type ActivityItem = {
  __typename?: 'ActivityItem';
  at: Scalars['DateTimeISO']['output'];
  conversationId?: Maybe<Scalars['ID']['output']>;
  /** The id of the note, history row, status event or message. */
  id: Scalars['ID']['output'];
  kind: ActivityKind;
  orderId?: Maybe<Scalars['ID']['output']>;
  /** Note or message text, "field: new value" for a ticket change, the status for an order. */
  summary: Scalars['String']['output'];
  ticketId?: Maybe<Scalars['ID']['output']>;
};

export type ActivityItemConnection = {
  __typename?: 'ActivityItemConnection';
  edges: Array<ActivityItemEdge>;
  pageInfo: PageInfo;
  /** Rows matching the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type ActivityItemEdge = {
  __typename?: 'ActivityItemEdge';
  cursor: Scalars['String']['output'];
  node: ActivityItem;
};

export type ActivityKind =
  | 'MESSAGE'
  | 'NOTE'
  | 'ORDER_STATUS'
  | 'TICKET_CHANGE';

/** CLOSED: the AI is called; OPEN: it is skipped until retryAt; HALF_OPEN: one trial call may go. */
export type AiBreakerState =
  | 'CLOSED'
  | 'HALF_OPEN'
  | 'OPEN';

/** The bot's messages sent in [from, to). */
export type AiStats = {
  __typename?: 'AiStats';
  /** Every step, in chain order; handoff notices as HANDOFF. */
  answersByStep: Array<BotStepCount>;
  /** Conversations with a bot message in the window. */
  botConversations: Scalars['Int']['output'];
  from: Scalars['DateTimeISO']['output'];
  /** handoffs / botConversations; null when zero. */
  handoffRate?: Maybe<Scalars['Float']['output']>;
  /** Of those, the ones handed off in the window. */
  handoffs: Scalars['Int']['output'];
  /** Median ms from the buyer's message to the bot's. */
  medianLatencyMs?: Maybe<Scalars['Float']['output']>;
  p95LatencyMs?: Maybe<Scalars['Float']['output']>;
  to: Scalars['DateTimeISO']['output'];
  totalAnswers: Scalars['Int']['output'];
};

/** The AI provider's circuit breaker, as the API instance answering sees it. */
export type AiStatus = {
  __typename?: 'AiStatus';
  /** Failures (errors, timeouts, malformed replies) in a row. */
  consecutiveFailures: Scalars['Int']['output'];
  /** False when AI_BASE_URL is unset: the bot starts at the knowledge base. */
  enabled: Scalars['Boolean']['output'];
  lastError?: Maybe<Scalars['String']['output']>;
  lastLatencyMs?: Maybe<Scalars['Int']['output']>;
  openedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  /** When an open breaker lets a trial call through. */
  retryAt?: Maybe<Scalars['DateTimeISO']['output']>;
  state: AiBreakerState;
};

export type ApiKey = {
  __typename?: 'ApiKey';
  /** Channels (shops) whose orders the key may read. */
  channelIds: Array<Scalars['ID']['output']>;
  createdAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  prefix: Scalars['String']['output'];
  revokedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  scopes: Array<ApiKeyScope>;
};

export type ApiKeyScope =
  | 'EXPORT'
  | 'ORDERS_READ';

export type AssignmentSetting = {
  __typename?: 'AssignmentSetting';
  /** Receives new tickets and handed-off conversations in this branch. */
  active: Scalars['Boolean']['output'];
  branch?: Maybe<Branch>;
  createdAt: Scalars['DateTimeISO']['output'];
  /** Stable for a branch and user: an unsaved default has the id it is saved under. */
  id: Scalars['ID']['output'];
  /** Cap on open tickets; null for no cap. */
  maxOpenTickets?: Maybe<Scalars['Int']['output']>;
  updatedAt: Scalars['DateTimeISO']['output'];
  user?: Maybe<User>;
};

export type AssignmentSettingInput = {
  active?: InputMaybe<Scalars['Boolean']['input']>;
  maxOpenTickets?: InputMaybe<Scalars['Int']['input']>;
};

/** Bot answers in the range’s conversations by the fallback step that answered. */
export type BotAnswerRow = {
  __typename?: 'BotAnswerRow';
  answers: Scalars['Int']['output'];
  medianLatencyMs?: Maybe<Scalars['Float']['output']>;
  p90LatencyMs?: Maybe<Scalars['Float']['output']>;
  /** Null for bot messages without a step. */
  step?: Maybe<BotStep>;
};

export type BotStep =
  | 'AI'
  | 'HANDOFF'
  | 'KNOWLEDGE_BASE'
  | 'TEMPLATE';

export type BotStepCount = {
  __typename?: 'BotStepCount';
  count: Scalars['Int']['output'];
  step: BotStep;
};

export type Branch = {
  __typename?: 'Branch';
  code: Scalars['String']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
};

export type ChangePasswordPayload = {
  __typename?: 'ChangePasswordPayload';
  expiresAt: Scalars['DateTimeISO']['output'];
  /** The new session token: every earlier one of this user stopped working. */
  token: Scalars['String']['output'];
  user: User;
};

export type Channel = {
  __typename?: 'Channel';
  /** When the seller's authorization itself ends (Shopee: at most 365 days). */
  authorizationExpiresAt?: Maybe<Scalars['DateTimeISO']['output']>;
  branch?: Maybe<Branch>;
  createdAt: Scalars['DateTimeISO']['output'];
  externalShopId: Scalars['String']['output'];
  hasAccessToken: Scalars['Boolean']['output'];
  /** Sendo only. */
  hasShopKey: Scalars['Boolean']['output'];
  /** Sendo only. */
  hasShopSecret: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  platform: Platform;
  /** When the refresh token ends; the seller must authorize again by then. */
  refreshTokenExpiresAt?: Maybe<Scalars['DateTimeISO']['output']>;
  status: ChannelStatus;
  tokenExpiresAt?: Maybe<Scalars['DateTimeISO']['output']>;
  updatedAt: Scalars['DateTimeISO']['output'];
};

/** A channel needs attention before its integration stops. */
export type ChannelAlert = {
  __typename?: 'ChannelAlert';
  channel: Channel;
  /** Whole days until the token expires, counted when raised; negative once expired. */
  daysLeft: Scalars['Int']['output'];
  kind: ChannelAlertKind;
  tokenExpiresAt: Scalars['DateTimeISO']['output'];
};

export type ChannelAlertKind =
  | 'REAUTHORIZE_SOON'
  | 'REFRESH_FAILED'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_EXPIRING';

/** Write-only: never returned by any query (Channel has hasAccessToken, hasShopKey, hasShopSecret). On update a field left out stays and null clears it; a new or cleared accessToken replaces tokenExpiresAt too (left out: no expiry). */
export type ChannelCredentialsInput = {
  /** The seller's order-API / messaging token (Lazada, Shopee, TikTok Shop, Tiki, Facebook, Zalo). At most 4096 characters. */
  accessToken?: InputMaybe<Scalars['String']['input']>;
  /** Sendo only, required there. At most 4096 characters. */
  shopKey?: InputMaybe<Scalars['String']['input']>;
  /** Sendo only, required there. At most 4096 characters. */
  shopSecret?: InputMaybe<Scalars['String']['input']>;
  /** When accessToken expires; in the future. The daily channelAlert watches it. From 1900-01-01 to 2100-12-31 (UTC). */
  tokenExpiresAt?: InputMaybe<Scalars['DateTimeISO']['input']>;
};

/** A connected shop, page or account with the health of its integration. */
export type ChannelHealth = {
  __typename?: 'ChannelHealth';
  channel: Channel;
  deadLetters: Scalars['Int']['output'];
  /** Pushes of the last hour that failed to apply or became dead letters. */
  failuresLastHour: Scalars['Int']['output'];
  /** When its last push arrived. */
  lastPushAt?: Maybe<Scalars['DateTimeISO']['output']>;
  pushesLastHour: Scalars['Int']['output'];
  /** Negative once the token has expired. */
  tokenExpiresInDays?: Maybe<Scalars['Int']['output']>;
};

export type ChannelStatus =
  | 'ACTIVE'
  | 'DISCONNECTED'
  | 'NEEDS_REAUTHORIZATION'
  | 'TOKEN_EXPIRED';

export type ConnectChannelInput = {
  /** Where new customers and handed-off conversations of this channel go. */
  branchId?: InputMaybe<Scalars['ID']['input']>;
  credentials?: InputMaybe<ChannelCredentialsInput>;
  /** The platform's id of the shop, page or OA, as its pushes name it (Lazada seller_id, Shopee shop_id, Facebook page id...). At most 100 characters. */
  externalShopId: Scalars['String']['input'];
  /** At most 200 characters. */
  name: Scalars['String']['input'];
  platform: Platform;
};

export type Conversation = {
  __typename?: 'Conversation';
  /** When the current assignee got it (handoff or reassignment). */
  assignedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  assignee?: Maybe<User>;
  channel?: Maybe<Channel>;
  createdAt: Scalars['DateTimeISO']['output'];
  customer?: Maybe<Customer>;
  externalThreadId: Scalars['String']['output'];
  externalUserId?: Maybe<Scalars['String']['output']>;
  /** The first answer (bot or agent) to the buyer. */
  firstResponseAt?: Maybe<Scalars['DateTimeISO']['output']>;
  /** When the bot handed the conversation to a person. */
  handedOffAt?: Maybe<Scalars['DateTimeISO']['output']>;
  id: Scalars['ID']['output'];
  lastInboundAt?: Maybe<Scalars['DateTimeISO']['output']>;
  lastMessageAt?: Maybe<Scalars['DateTimeISO']['output']>;
  /** Newest first. */
  messages: MessageConnection;
  resolvedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  status: ConversationStatus;
  unreadCount: Scalars['Int']['output'];
  updatedAt: Scalars['DateTimeISO']['output'];
};


export type ConversationMessagesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** One change to a conversation, as pushed by conversationChanged. */
export type ConversationChange = {
  __typename?: 'ConversationChange';
  /** CREATED, MESSAGE, READ, HANDED_OFF, ASSIGNED, RESOLVED or REOPENED. */
  action: Scalars['String']['output'];
  /** The conversation as it is after the change. */
  conversation: Conversation;
  /** ASSIGNED: who held it before (they are told too). */
  previousAssigneeId?: Maybe<Scalars['ID']['output']>;
};

/** Narrows conversationChanged; the scope rules apply first. */
export type ConversationChangeFilter = {
  assigneeIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  channelIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  statuses?: InputMaybe<Array<ConversationStatus>>;
  /** true: nobody's (the queue); false: somebody's. */
  unassigned?: InputMaybe<Scalars['Boolean']['input']>;
};

export type ConversationConnection = {
  __typename?: 'ConversationConnection';
  edges: Array<ConversationEdge>;
  pageInfo: PageInfo;
  /** Rows matching the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type ConversationEdge = {
  __typename?: 'ConversationEdge';
  cursor: Scalars['String']['output'];
  node: Conversation;
};

export type ConversationFilter = {
  /** These agents' conversations; with unassigned: true, also nobody's. */
  assigneeIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  channelIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** The customer carries any of these labels. */
  customerLabelIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** true: unread buyer messages; false: none. */
  hasUnread?: InputMaybe<Scalars['Boolean']['input']>;
  /** Last message at or after this time. From 1900-01-01 to 2100-12-31 (UTC). */
  lastMessageFrom?: InputMaybe<Scalars['DateTimeISO']['input']>;
  /** Last message before this time. From 1900-01-01 to 2100-12-31 (UTC). */
  lastMessageTo?: InputMaybe<Scalars['DateTimeISO']['input']>;
  statuses?: InputMaybe<Array<ConversationStatus>>;
  /** true: nobody holds it; false: somebody does. */
  unassigned?: InputMaybe<Scalars['Boolean']['input']>;
};

export type ConversationReport = {
  __typename?: 'ConversationReport';
  botAnswers: Array<BotAnswerRow>;
  byChannel: Array<ConversationReportRow>;
  byPeriod: Array<ConversationReportRow>;
  from: Scalars['String']['output'];
  groupBy: ReportPeriod;
  to: Scalars['String']['output'];
  total: ConversationReportRow;
};

/** Conversations started in the range, in total or in one slice. */
export type ConversationReportRow = {
  __typename?: 'ConversationReportRow';
  conversations: Scalars['Int']['output'];
  /** Seconds from start to first answer. */
  firstResponseMedianSeconds?: Maybe<Scalars['Float']['output']>;
  firstResponseP90Seconds?: Maybe<Scalars['Float']['output']>;
  /** Handed from the bot to a person. */
  handedOff: Scalars['Int']['output'];
  /** handedOff / conversations. */
  handoffRate: Scalars['Float']['output'];
  /** What the row is about: a platform, status, source... code, a channel, branch or user id, or the business date a period starts on. Null in `total`, and for rows without one (tickets without a result or assignee). */
  key?: Maybe<Scalars['String']['output']>;
  /** A channel name, where the key is one. */
  label?: Maybe<Scalars['String']['output']>;
  /** Seconds from start to resolution. */
  resolutionMedianSeconds?: Maybe<Scalars['Float']['output']>;
  resolutionP90Seconds?: Maybe<Scalars['Float']['output']>;
  resolved: Scalars['Int']['output'];
  /** With a first answer (bot or agent). */
  responded: Scalars['Int']['output'];
};

export type ConversationStatus =
  | 'ASSIGNED'
  | 'OPEN'
  | 'PENDING_BOT'
  | 'RESOLVED';

export type CreateApiKeyPayload = {
  __typename?: 'CreateApiKeyPayload';
  apiKey: ApiKey;
  /** Shown this once; send as the `x-api-key` header. */
  secret: Scalars['String']['output'];
};

export type CreateBranchInput = {
  /** Short unique code (1 to 32 letters, digits, "_" or "-"), stored in upper case, e.g. HCM. At most 1000 characters. */
  code: Scalars['String']['input'];
  /** What people read, e.g. "Chi nhánh Hồ Chí Minh". At most 200 characters. */
  name: Scalars['String']['input'];
};

export type CreateTicketInputType = {
  /** Leaders and admins only; staff own what they create. */
  assigneeId?: InputMaybe<Scalars['ID']['input']>;
  branchId: Scalars['ID']['input'];
  customerId: Scalars['ID']['input'];
  /** At most 5000 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** From 1900-01-01 to 2100-12-31 (UTC). */
  dueAt?: InputMaybe<Scalars['DateTimeISO']['input']>;
  inChargeId?: InputMaybe<Scalars['ID']['input']>;
  rootTicketId?: InputMaybe<Scalars['ID']['input']>;
  /** NEW_CUSTOMER, COMPLAINT, CONVERSATION or MANUAL. */
  source: TicketSource;
  /** Team roles always create for their own team. */
  target?: InputMaybe<TicketTarget>;
  /** At most 300 characters. */
  title: Scalars['String']['input'];
};

/** From a root ticket (its fields are copied) or from shared fields, over many customers. */
export type CreateTicketsInputType = {
  customerIds: Array<Scalars['ID']['input']>;
  rootTicketId?: InputMaybe<Scalars['ID']['input']>;
  shared?: InputMaybe<SharedTicketInput>;
};

export type CreateUserInput = {
  /** The branches the user works for. */
  branchIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Stored trimmed and in lower case; unique. At most 254 characters. */
  email: Scalars['String']['input'];
  /** At most 200 characters. */
  fullName: Scalars['String']['input'];
  /** At least 10 characters. Left out: the answer carries a one-time setPasswordToken for the user, so nobody else learns their password. At most 256 characters. */
  password?: InputMaybe<Scalars['String']['input']>;
  /** Any role but PARTNER (partners get an API key). */
  role: Role;
};

export type CreateUserPayload = {
  __typename?: 'CreateUserPayload';
  /** Set when no password was given: hand it to the user to choose theirs. */
  setPasswordToken?: Maybe<PasswordToken>;
  user: User;
};

export type Customer = {
  __typename?: 'Customer';
  /** ISO date, YYYY-MM-DD */
  birthday?: Maybe<Scalars['String']['output']>;
  branch?: Maybe<Branch>;
  /** Most recently active first. */
  conversations: Array<Conversation>;
  createdAt: Scalars['DateTimeISO']['output'];
  email?: Maybe<Scalars['String']['output']>;
  erasedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  fullName: Scalars['String']['output'];
  gender?: Maybe<Gender>;
  id: Scalars['ID']['output'];
  labels: Array<CustomerLabel>;
  lastOrderAt?: Maybe<Scalars['DateTimeISO']['output']>;
  notes?: Maybe<Scalars['String']['output']>;
  /** Newest first. */
  orders: Array<Order>;
  phone?: Maybe<Scalars['String']['output']>;
  /** What kind of number `phone` is, from its E.164 form: Vietnamese MOBILE or LANDLINE, FOREIGN, or OTHER (toll-free, VoIP). Every valid number is accepted. */
  phoneType?: Maybe<PhoneType>;
  /** Completed orders plus paid payments outside them, in minor units. */
  realRevenue: Scalars['SafeInt']['output'];
  /** Newest first. */
  tickets: Array<Ticket>;
  updatedAt: Scalars['DateTimeISO']['output'];
  /** The detail tabs (notes, orders, tickets, conversations, payments, activity); meant for one customer at a time. */
  workspace: CustomerWorkspace;
};


export type CustomerConversationsArgs = {
  first?: Scalars['Int']['input'];
};


export type CustomerOrdersArgs = {
  first?: Scalars['Int']['input'];
};


export type CustomerTicketsArgs = {
  first?: Scalars['Int']['input'];
};

/** A customer record changed (created, updated, merged, un-merged, erased...). */
export type CustomerChange = {
  __typename?: 'CustomerChange';
  /** CREATED, UPDATED, MERGED, UNMERGED, ERASED, NOTE_ADDED or LABELS_SET */
  action: Scalars['String']['output'];
  /** After a merge, the survivor. */
  customerId: Scalars['ID']['output'];
  /** The merged (or un-merged) customer ids. */
  relatedIds: Array<Scalars['ID']['output']>;
};

export type CustomerChannelRow = {
  __typename?: 'CustomerChannelRow';
  /** Null: entered by staff, no order or chat. */
  channelId?: Maybe<Scalars['ID']['output']>;
  customers: Scalars['Int']['output'];
  label?: Maybe<Scalars['String']['output']>;
  platform?: Maybe<Platform>;
};

export type CustomerConnection = {
  __typename?: 'CustomerConnection';
  edges: Array<CustomerEdge>;
  pageInfo: PageInfo;
  /** Rows matching the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type CustomerEdge = {
  __typename?: 'CustomerEdge';
  cursor: Scalars['String']['output'];
  node: Customer;
};

export type CustomerFilter = {
  branchIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  labelIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Part of the name, e-mail or phone digits. At most 100 characters. */
  search?: InputMaybe<Scalars['String']['input']>;
};

/** Phones in any Vietnamese form (0912 345 678, +84 912-345-678, 84912345678) are stored as E.164. On update, an omitted field stays, null or "" clears it. */
export type CustomerInput = {
  /** YYYY-MM-DD, not in the future. At most 10 characters. */
  birthday?: InputMaybe<Scalars['String']['input']>;
  branchId?: InputMaybe<Scalars['ID']['input']>;
  /** At most 254 characters. */
  email?: InputMaybe<Scalars['String']['input']>;
  /** At most 200 characters. */
  fullName?: InputMaybe<Scalars['String']['input']>;
  gender?: InputMaybe<Gender>;
  /** At most 5000 characters. */
  notes?: InputMaybe<Scalars['String']['input']>;
  /** At most 32 characters. */
  phone?: InputMaybe<Scalars['String']['input']>;
};

export type CustomerLabel = {
  __typename?: 'CustomerLabel';
  code: Scalars['String']['output'];
  color?: Maybe<Scalars['String']['output']>;
  createdAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
};

export type CustomerLabelInput = {
  /** Unique, 1 to 32 letters, digits, "_" or "-"; stored in upper case. At most 1000 characters. */
  code: Scalars['String']['input'];
  /** #rrggbb. At most 1000 characters. */
  color?: InputMaybe<Scalars['String']['input']>;
  /** At most 200 characters. */
  name: Scalars['String']['input'];
};

export type CustomerMerge = {
  __typename?: 'CustomerMerge';
  createdAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  mergedIds: Array<Scalars['ID']['output']>;
  survivor?: Maybe<Customer>;
  undoneAt?: Maybe<Scalars['DateTimeISO']['output']>;
};

export type CustomerNote = {
  __typename?: 'CustomerNote';
  author?: Maybe<User>;
  body: Scalars['String']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
};

export type CustomerNoteConnection = {
  __typename?: 'CustomerNoteConnection';
  edges: Array<CustomerNoteEdge>;
  pageInfo: PageInfo;
  /** Rows matching the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type CustomerNoteEdge = {
  __typename?: 'CustomerNoteEdge';
  cursor: Scalars['String']['output'];
  node: CustomerNote;
};

export type CustomerPeriodRow = {
  __typename?: 'CustomerPeriodRow';
  customers: Scalars['Int']['output'];
  /** The business date the period starts on. */
  key: Scalars['String']['output'];
};

export type CustomerReport = {
  __typename?: 'CustomerReport';
  from: Scalars['String']['output'];
  groupBy: ReportPeriod;
  /** By the channel of their first order or conversation, whichever came first. */
  newByChannel: Array<CustomerChannelRow>;
  newByPeriod: Array<CustomerPeriodRow>;
  /** Customers created in the range. */
  newCustomers: Scalars['Int']['output'];
  /** New customers who share a phone or email with another customer: duplicates waiting to be merged. Merges are not recorded yet, so merged duplicates cannot be counted; once merged, a pair no longer counts here. */
  possibleDuplicates: Scalars['Int']['output'];
  /** Revenue of orders placed in the range per customer label; a customer with two labels counts in both. */
  revenueBySegment: Array<CustomerSegmentRow>;
  to: Scalars['String']['output'];
};

/** Orders placed in the range by customers with one label. */
export type CustomerSegmentRow = {
  __typename?: 'CustomerSegmentRow';
  code?: Maybe<Scalars['String']['output']>;
  /** Customers with an order in the range. */
  customers: Scalars['Int']['output'];
  /** Null: customers without any label. */
  labelId?: Maybe<Scalars['ID']['output']>;
  name?: Maybe<Scalars['String']['output']>;
  orders: Scalars['Int']['output'];
  /** As in the order report. */
  revenue: Scalars['SafeInt']['output'];
};

/** A customer's detail tabs, each paginated and within the viewer's scope. */
export type CustomerWorkspace = {
  __typename?: 'CustomerWorkspace';
  /** Notes, ticket changes, order status changes and messages in one feed, newest first. */
  activity: ActivityItemConnection;
  /** Most recently updated first. */
  conversations: ConversationConnection;
  /** Newest first. */
  notes: CustomerNoteConnection;
  /** Order history, newest first. */
  orders: OrderConnection;
  /** Newest first. */
  payments: PaymentConnection;
  /** Newest first; only the tickets the viewer may see. */
  tickets: TicketConnection;
};


/** A customer's detail tabs, each paginated and within the viewer's scope. */
export type CustomerWorkspaceActivityArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A customer's detail tabs, each paginated and within the viewer's scope. */
export type CustomerWorkspaceConversationsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A customer's detail tabs, each paginated and within the viewer's scope. */
export type CustomerWorkspaceNotesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A customer's detail tabs, each paginated and within the viewer's scope. */
export type CustomerWorkspaceOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A customer's detail tabs, each paginated and within the viewer's scope. */
export type CustomerWorkspacePaymentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A customer's detail tabs, each paginated and within the viewer's scope. */
export type CustomerWorkspaceTicketsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** Customers that are probably one person, and why; merge them with mergeCustomers. */
export type DuplicateGroup = {
  __typename?: 'DuplicateGroup';
  /** Oldest first: the usual survivor. */
  customerIds: Array<Scalars['ID']['output']>;
  customers: Array<Customer>;
  reason: DuplicateReason;
};

export type DuplicateGroupConnection = {
  __typename?: 'DuplicateGroupConnection';
  edges: Array<DuplicateGroupEdge>;
  pageInfo: PageInfo;
  /** Rows matching the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type DuplicateGroupEdge = {
  __typename?: 'DuplicateGroupEdge';
  cursor: Scalars['String']['output'];
  node: DuplicateGroup;
};

export type DuplicateReason =
  | 'SAME_EMAIL'
  | 'SAME_PHONE'
  | 'SAME_PLATFORM_BUYER_ID'
  | 'SIMILAR_NAME_PHONE_SUFFIX';

export type Gender =
  | 'FEMALE'
  | 'MALE'
  | 'OTHER';

export type ImportJob = {
  __typename?: 'ImportJob';
  createdAt: Scalars['DateTimeISO']['output'];
  error?: Maybe<Scalars['String']['output']>;
  finishedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  id: Scalars['ID']['output'];
  imported: Scalars['Int']['output'];
  /** Rows that matched an existing customer or an earlier row (phone or e-mail). */
  merged: Scalars['Int']['output'];
  merges: Array<ImportMerge>;
  /** Rows read so far. */
  processed: Scalars['Int']['output'];
  rejected: Scalars['Int']['output'];
  rejections: Array<ImportRejection>;
  status: ImportJobStatus;
};

export type ImportJobStatus =
  | 'FAILED'
  | 'RUNNING'
  | 'SUCCEEDED';

/** One row that matched an existing customer (or an earlier row of the file) by phone or e-mail. */
export type ImportMerge = {
  __typename?: 'ImportMerge';
  /** The existing customer; null when the match was an earlier row. */
  customerId?: Maybe<Scalars['ID']['output']>;
  line: Scalars['Int']['output'];
  /** phone or email */
  matchedOn: Scalars['String']['output'];
};

/** One rejected import row: its 1-based line in the file and why. */
export type ImportRejection = {
  __typename?: 'ImportRejection';
  /** The field at fault (fullName, phone, email...); null when the whole row is. */
  field?: Maybe<Scalars['String']['output']>;
  line: Scalars['Int']['output'];
  reason: Scalars['String']['output'];
};

export type InboundEvent = {
  __typename?: 'InboundEvent';
  attempts: Scalars['Int']['output'];
  eventKey: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  lastError?: Maybe<Scalars['String']['output']>;
  platform: Platform;
  processedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  receivedAt: Scalars['DateTimeISO']['output'];
  shopId?: Maybe<Scalars['String']['output']>;
  status: InboundEventStatus;
};

export type InboundEventConnection = {
  __typename?: 'InboundEventConnection';
  edges: Array<InboundEventEdge>;
  pageInfo: PageInfo;
  /** Rows matching the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type InboundEventEdge = {
  __typename?: 'InboundEventEdge';
  cursor: Scalars['String']['output'];
  node: InboundEvent;
};

export type InboundEventFilter = {
  platforms?: InputMaybe<Array<Platform>>;
  statuses?: InputMaybe<Array<InboundEventStatus>>;
};

export type InboundEventStatus =
  | 'APPLIED'
  | 'DEAD'
  | 'FAILED'
  | 'RECEIVED';

/** The runbook’s “top issues” table: shops with most failures first. */
export type IntegrationReport = {
  __typename?: 'IntegrationReport';
  byPlatform: Array<IntegrationReportRow>;
  /** Dead letters + failures, most first. */
  byShop: Array<IntegrationReportRow>;
  from: Scalars['String']['output'];
  to: Scalars['String']['output'];
  total: IntegrationReportRow;
};

/** Webhook pushes received in the range for one shop, platform or all. */
export type IntegrationReportRow = {
  __typename?: 'IntegrationReportRow';
  applied: Scalars['Int']['output'];
  deadLetters: Scalars['Int']['output'];
  /** Failed and waiting for a retry. */
  failed: Scalars['Int']['output'];
  /** Stored, not applied yet. */
  pending: Scalars['Int']['output'];
  /** Null in the total. */
  platform?: Maybe<Platform>;
  /** Events stored (one per distinct event key). */
  received: Scalars['Int']['output'];
  /** Applied, failed or dead after more than one attempt: retries and replays. A replay resets the attempts, so a replayed event that then applied at once is not told apart. */
  retried: Scalars['Int']['output'];
  /** Null in platform rows and the total. */
  shopId?: Maybe<Scalars['String']['output']>;
  /** Duplicates dropped: status events of the range that the order lattice did not apply (stale or repeated). A redelivery with the same event key is dropped at the inbox before any row is written, so those are not counted here. */
  staleOrRepeatedDropped: Scalars['Int']['output'];
};

export type KeywordMode =
  | 'NUMBER_SEQUENCE'
  | 'TEXT';

export type KnowledgeBaseArticle = {
  __typename?: 'KnowledgeBaseArticle';
  body: Scalars['String']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  keywords: Scalars['String']['output'];
  title: Scalars['String']['output'];
  type: KnowledgeBaseType;
  updatedAt: Scalars['DateTimeISO']['output'];
};

export type KnowledgeBaseArticleConnection = {
  __typename?: 'KnowledgeBaseArticleConnection';
  edges: Array<KnowledgeBaseArticleEdge>;
  pageInfo: PageInfo;
  /** Rows matching the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type KnowledgeBaseArticleEdge = {
  __typename?: 'KnowledgeBaseArticleEdge';
  cursor: Scalars['String']['output'];
  node: KnowledgeBaseArticle;
};

export type KnowledgeBaseArticleFilter = {
  /** Words in the title, keywords or body. At most 200 characters. */
  search?: InputMaybe<Scalars['String']['input']>;
  /** Ignored for team roles: they read their own team's articles (BR-CRM-007). */
  type?: InputMaybe<KnowledgeBaseType>;
};

export type KnowledgeBaseArticleInput = {
  /** At most 5000 characters. */
  body: Scalars['String']['input'];
  /** Words the bot and search also match. At most 100 characters. */
  keywords?: InputMaybe<Scalars['String']['input']>;
  /** At most 300 characters. */
  title: Scalars['String']['input'];
  /** A team leader writes only their own team's type (BR-CRM-007). */
  type: KnowledgeBaseType;
};

export type KnowledgeBaseType =
  | 'CUSTOMER_SERVICE'
  | 'TELESALES';

export type LoginPayload = {
  __typename?: 'LoginPayload';
  expiresAt: Scalars['DateTimeISO']['output'];
  /** Send as `Authorization: Bearer <token>`. */
  token: Scalars['String']['output'];
  user: User;
};

/** For each field, the id of the customer (survivor or one of mergedIds) whose value the survivor keeps; omitted fields keep the survivor's own value. */
export type MergeFieldChoicesInput = {
  birthday?: InputMaybe<Scalars['ID']['input']>;
  branch?: InputMaybe<Scalars['ID']['input']>;
  email?: InputMaybe<Scalars['ID']['input']>;
  fullName?: InputMaybe<Scalars['ID']['input']>;
  gender?: InputMaybe<Scalars['ID']['input']>;
  notes?: InputMaybe<Scalars['ID']['input']>;
  phone?: InputMaybe<Scalars['ID']['input']>;
};

export type Message = {
  __typename?: 'Message';
  attachments: Array<MessageAttachment>;
  attempts: Scalars['Int']['output'];
  /** The agent who wrote it, if any. */
  author?: Maybe<User>;
  body: Scalars['String']['output'];
  /** For bot answers: ms from the push to the answer. */
  botLatencyMs?: Maybe<Scalars['Int']['output']>;
  /** For bot answers: which fallback step answered. */
  botStep?: Maybe<BotStep>;
  createdAt: Scalars['DateTimeISO']['output'];
  direction: MessageDirection;
  externalMessageId?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  lastError?: Maybe<Scalars['String']['output']>;
  sender: MessageSender;
  sentAt: Scalars['DateTimeISO']['output'];
  status: MessageStatus;
};

/** A file, image or link sent with a message. */
export type MessageAttachment = {
  __typename?: 'MessageAttachment';
  name?: Maybe<Scalars['String']['output']>;
  /** image, video, audio, file, link, sticker, location, ... */
  type: Scalars['String']['output'];
  url?: Maybe<Scalars['String']['output']>;
};

/** A file, image or link to send, by URL. */
export type MessageAttachmentInput = {
  /** At most 255 characters. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** image, video, audio, file, link... At most 50 characters. */
  type: Scalars['String']['input'];
  /** At most 2048 characters. */
  url?: InputMaybe<Scalars['String']['input']>;
};

export type MessageConnection = {
  __typename?: 'MessageConnection';
  edges: Array<MessageEdge>;
  pageInfo: PageInfo;
  /** Rows matching the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type MessageDirection =
  | 'INBOUND'
  | 'OUTBOUND';

export type MessageEdge = {
  __typename?: 'MessageEdge';
  cursor: Scalars['String']['output'];
  node: Message;
};

export type MessageSender =
  | 'AGENT'
  | 'BOT'
  | 'CUSTOMER';

export type MessageStatus =
  | 'FAILED'
  | 'PENDING'
  | 'RECEIVED'
  | 'SENT';

/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type Mutation = {
  __typename?: 'Mutation';
  addCustomerNote: CustomerNote;
  /** Appends a note; changes no field or status, so it takes no version. Anyone who sees the ticket, in any status. */
  addTicketNote: TicketNote;
  /** NEW -> ASSIGNED, or a reassignment of an ASSIGNED ticket; leaders within their target, and IT (BR-CRM-003). Null when the ticket is outside what you may read (IT assigns without reading tickets: a stale version's CONFLICT carries extensions.currentVersion, which IT's assign scope may learn). */
  assignTicket?: Maybe<Ticket>;
  /** NEW or ASSIGNED -> CANCELED, with a reason (kept as a note). By its owner or curator, a leader of its team, Admin or BOD. */
  cancelTicket: Ticket;
  /** Your own password, the current one required. Every session of yours ends: go on with the token in the answer. */
  changePassword: ChangePasswordPayload;
  /** ASSIGNED -> COMPLETED with a result; a NEW ticket must be assigned first (BAD_USER_INPUT). By its owner or curator, a leader of its team, Admin or BOD. Follow-up rules (sources 3, 7) run in the same transaction. */
  completeTicket: Ticket;
  /** Connects a shop, page or OA so its pushes and messages apply. BAD_USER_INPUT (extensions.field) for an empty name, a malformed externalShopId or credentials that do not fit the platform (Sendo needs shopKey and shopSecret); NOT_FOUND for an unknown branch; CONFLICT (extensions.existingChannelId) when the platform and externalShopId are already connected. Nothing is written on an error. */
  connectChannel: Channel;
  createApiKey: CreateApiKeyPayload;
  /** BAD_USER_INPUT (extensions.field) for a malformed code or an empty name; CONFLICT (extensions.existingBranchId) when the code is taken. */
  createBranch: Branch;
  /** CONFLICT (extensions.existingCustomerId) when a customer with the same normalized phone or e-mail exists, unless allowDuplicate. */
  createCustomer: Customer;
  /** BAD_USER_INPUT (extensions.field) for a malformed code or color or an empty name; CONFLICT (extensions.existingLabelId) when the code is taken. */
  createCustomerLabel: CustomerLabel;
  /** Admin any type, a team leader their team's (FORBIDDEN otherwise). BAD_USER_INPUT (extensions.field) for an empty title or body. */
  createKnowledgeBaseArticle: KnowledgeBaseArticle;
  /** BAD_USER_INPUT (extensions.field) for an empty name or body, or an unknown variable. */
  createReplyTemplate: ReplyTemplate;
  /** Sources 1, 2, 5 and 6, status NEW (ASSIGNED with an assigneeId). Staff and leaders create tickets of their own team; staff own what they create; leaders may name an owner in their team; Admin and BOD name the target. IT creates none. */
  createTicket: Ticket;
  /** BR-CRM-009: many tickets in one transaction, all or nothing; the same roles as createTicket. One ticket per customer: a customer named twice (or a merged id beside its survivor) is a BAD_USER_INPUT row error naming both rows. */
  createTickets: Array<Ticket>;
  /** BAD_USER_INPUT (extensions.field) for an invalid e-mail, a short password or the PARTNER role; NOT_FOUND for an unknown branch; CONFLICT (extensions.existingUserId) when the e-mail is taken. */
  createUser: CreateUserPayload;
  /** POSTs the order events the key may read (its channels; the same scope as orderEvents) to `url`, from now on. BAD_USER_INPUT for a URL that is not https (in production) or points at a loopback, private or link-local address, an unknown status, or a key that is revoked or may not read orders. */
  createWebhookEndpoint: WebhookEndpointWithSecret;
  /** Deletes an article (the audit log keeps its text); answers its id. */
  deleteKnowledgeBaseArticle: Scalars['ID']['output'];
  /** Deletes a template (the audit log keeps its text); answers its id. */
  deleteReplyTemplate: Scalars['ID']['output'];
  /** The endpoint and its delivery log go. */
  deleteWebhookEndpoint: Scalars['Boolean']['output'];
  /** Right to be forgotten: personal data is removed from the customer, their notes and messages; orders and payments stay under a pseudonym. */
  eraseCustomer: Customer;
  login: LoginPayload;
  /** Sets the unread count back to 0. */
  markConversationRead: Conversation;
  /** Moves every ticket, order, conversation, note, label and payment of mergedIds to the survivor; the merged records stay as tombstones. Idempotent; CONFLICT (extensions.reason MERGE_CYCLE, CUSTOMER_ALREADY_MERGED, CUSTOMER_ERASED) otherwise. */
  mergeCustomers: CustomerMerge;
  /** Gives a conversation to an active CUSTOMER_SERVICE agent of its channel's branch (BAD_USER_INPUT otherwise); the bot stops answering it. */
  reassignConversation: Conversation;
  /** Records a PAID payment (staff: TELESALES, CUSTOMER_SERVICE, their leaders, Admin, BOD), idempotent on externalId; the same externalId with other amount, currency, customer or order is CONFLICT. Opens the after-sale care ticket once. */
  recordPayment: RecordPaymentResult;
  /** Sends the delivery again, with the same X-Webhook-Id and a new 24-hour retry window. */
  redeliverWebhook: WebhookDelivery;
  /** Sends again every event after `cursor` (a delivery's or orderEvents' cursor) that the endpoint receives; returns how many. At most 10,000 per call. */
  redeliverWebhooksSince: Scalars['Int']['output'];
  /** CANCELED -> ASSIGNED (NEW when it has no owner). A COMPLETED ticket never reopens: its result stands and its follow-up rules already ran. The same roles as cancelTicket. */
  reopenTicket: Ticket;
  /** Replays the dead letters of a platform received since a time; returns how many applied. */
  replayDeadLetters: Scalars['Int']['output'];
  /** Applies a failed or dead event again; an applied one is left as it is (idempotent). */
  replayInboundEvent: InboundEvent;
  /** A one-time token (valid 24 hours) for the user's setPasswordWithToken; the current password works until it is redeemed. */
  resetPassword: PasswordToken;
  /** RESOLVED with resolvedAt; the next buyer message reopens it. */
  resolveConversation: Conversation;
  revokeApiKey: ApiKey;
  /** A new secret. Until graceHours (default 24, at most 168) pass, each delivery carries two signatures, one per secret, so receivers can switch without dropping any. */
  rotateWebhookSecret: WebhookEndpointWithSecret;
  /** Reconciles a business date now, replacing an earlier run of the same date (running it twice gives the same report). A malformed or future date is BAD_USER_INPUT. */
  runReconciliation: ReconciliationRun;
  /** Admin: runs a dated ticket rule for a business date (YYYY-MM-DD, today or earlier) now, as its schedule would; idempotent, returns what it created. */
  runTicketAutomation: TicketAutomationRun;
  /** Sends through the channel's platform: stored PENDING, then SENT or FAILED (retried with backoff). Customer-service staff answering an unassigned conversation take it. Outside the platform's reply window (Messenger 24 h) the answer is BAD_USER_INPUT with extensions.reason MESSAGING_WINDOW_CLOSED and nothing is stored. */
  sendMessage: Message;
  /** Replaces the customer's labels with exactly these. */
  setCustomerLabels: Customer;
  /** Without signing in: sets the password with a token from resetPassword or createUser, once; every session of the user ends. BAD_USER_INPUT for a bad, used or expired token. */
  setPasswordWithToken: Scalars['Boolean']['output'];
  /** Same as updateUser with only `active`. */
  setUserActive: User;
  /** Pulls the orders created in [from, to) from the channel's platform and applies them like pushes, in the background; returns the QUEUED job. A `to` in the future means now; at most 90 days; one sync per channel at a time (CONFLICT with the running job's `jobId`). */
  startOrderSync: OrderSyncJob;
  /** Restores the merged records and every link exactly as before the merge. CONFLICT LATER_MERGE while a later merge of these customers stands. */
  unmergeCustomer: CustomerMerge;
  updateAssignment: AssignmentSetting;
  /** Renames a branch or changes its code. NOT_FOUND for an unknown id; CONFLICT when the new code is taken. */
  updateBranch: Branch;
  /** Renames, moves to another branch, pauses (DISCONNECTED) or resumes (ACTIVE) a channel, or rotates its credentials; a new token or expiry is alerted afresh by channelAlert. Channels are never deleted. Same error codes as connectChannel; NOT_FOUND for an unknown id. */
  updateChannel: Channel;
  updateCustomer: Customer;
  /** NOT_FOUND for an unknown id; CONFLICT when the new code is taken; the labels the system sets (WRONG_CONTACT) keep their code. */
  updateCustomerLabel: CustomerLabel;
  /** NOT_FOUND for an article outside the viewer's team, as for reads; FORBIDDEN to move it to another team's type. */
  updateKnowledgeBaseArticle: KnowledgeBaseArticle;
  updateReplyTemplate: ReplyTemplate;
  /** Edits a NEW or ASSIGNED ticket. Anyone who sees the ticket (staff: tickets they own or curate; leaders: their team's; Admin, BOD: all) edits title, description and due date; only leaders, Admin and BOD change the curator. */
  updateTicket: Ticket;
  /** Name, role, branches, active. BAD_USER_INPUT to demote or deactivate yourself (so an admin always remains); NOT_FOUND for an unknown user or branch. */
  updateUser: User;
  updateWebhookEndpoint: WebhookEndpoint;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationAddCustomerNoteArgs = {
  body: Scalars['String']['input'];
  customerId: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationAddTicketNoteArgs = {
  body: Scalars['String']['input'];
  ticketId: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationAssignTicketArgs = {
  assigneeId: Scalars['ID']['input'];
  inChargeId?: InputMaybe<Scalars['ID']['input']>;
  ticketId: Scalars['ID']['input'];
  version: Scalars['Int']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationCancelTicketArgs = {
  id: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
  version: Scalars['Int']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationChangePasswordArgs = {
  newPassword: Scalars['String']['input'];
  oldPassword: Scalars['String']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationCompleteTicketArgs = {
  id: Scalars['ID']['input'];
  note?: InputMaybe<Scalars['String']['input']>;
  resultCode: TicketResult;
  version: Scalars['Int']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationConnectChannelArgs = {
  input: ConnectChannelInput;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationCreateApiKeyArgs = {
  channelIds: Array<Scalars['ID']['input']>;
  name: Scalars['String']['input'];
  scopes?: InputMaybe<Array<ApiKeyScope>>;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationCreateBranchArgs = {
  input: CreateBranchInput;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationCreateCustomerArgs = {
  allowDuplicate?: Scalars['Boolean']['input'];
  input: CustomerInput;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationCreateCustomerLabelArgs = {
  input: CustomerLabelInput;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationCreateKnowledgeBaseArticleArgs = {
  input: KnowledgeBaseArticleInput;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationCreateReplyTemplateArgs = {
  input: ReplyTemplateInput;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationCreateTicketArgs = {
  input: CreateTicketInputType;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationCreateTicketsArgs = {
  input: CreateTicketsInputType;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationCreateUserArgs = {
  input: CreateUserInput;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationCreateWebhookEndpointArgs = {
  apiKeyId: Scalars['ID']['input'];
  events: Array<OrderStatus>;
  url: Scalars['String']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationDeleteKnowledgeBaseArticleArgs = {
  id: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationDeleteReplyTemplateArgs = {
  id: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationDeleteWebhookEndpointArgs = {
  id: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationEraseCustomerArgs = {
  id: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationLoginArgs = {
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationMarkConversationReadArgs = {
  id: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationMergeCustomersArgs = {
  fieldChoices?: InputMaybe<MergeFieldChoicesInput>;
  mergedIds: Array<Scalars['ID']['input']>;
  survivorId: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationReassignConversationArgs = {
  assigneeId: Scalars['ID']['input'];
  conversationId: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationRecordPaymentArgs = {
  input: RecordPaymentInputType;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationRedeliverWebhookArgs = {
  id: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationRedeliverWebhooksSinceArgs = {
  cursor: Scalars['String']['input'];
  endpointId: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationReopenTicketArgs = {
  id: Scalars['ID']['input'];
  version: Scalars['Int']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationReplayDeadLettersArgs = {
  platform: Platform;
  since: Scalars['DateTimeISO']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationReplayInboundEventArgs = {
  id: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationResetPasswordArgs = {
  userId: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationResolveConversationArgs = {
  id: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationRevokeApiKeyArgs = {
  id: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationRotateWebhookSecretArgs = {
  graceHours?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationRunReconciliationArgs = {
  date: Scalars['String']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationRunTicketAutomationArgs = {
  date: Scalars['String']['input'];
  rule: TicketAutomationRule;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationSendMessageArgs = {
  attachments?: InputMaybe<Array<MessageAttachmentInput>>;
  conversationId: Scalars['ID']['input'];
  templateId?: InputMaybe<Scalars['ID']['input']>;
  text?: InputMaybe<Scalars['String']['input']>;
  variables?: InputMaybe<ReplyTemplateValuesInput>;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationSetCustomerLabelsArgs = {
  customerId: Scalars['ID']['input'];
  labelIds: Array<Scalars['ID']['input']>;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationSetPasswordWithTokenArgs = {
  newPassword: Scalars['String']['input'];
  token: Scalars['String']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationSetUserActiveArgs = {
  active: Scalars['Boolean']['input'];
  userId: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationStartOrderSyncArgs = {
  channelId: Scalars['ID']['input'];
  from: Scalars['DateTimeISO']['input'];
  to: Scalars['DateTimeISO']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationUnmergeCustomerArgs = {
  mergeId: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationUpdateAssignmentArgs = {
  branchId: Scalars['ID']['input'];
  input: AssignmentSettingInput;
  userId: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationUpdateBranchArgs = {
  id: Scalars['ID']['input'];
  input: UpdateBranchInput;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationUpdateChannelArgs = {
  id: Scalars['ID']['input'];
  input: UpdateChannelInput;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationUpdateCustomerArgs = {
  allowDuplicate?: Scalars['Boolean']['input'];
  id: Scalars['ID']['input'];
  input: CustomerInput;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationUpdateCustomerLabelArgs = {
  id: Scalars['ID']['input'];
  input: UpdateCustomerLabelInput;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationUpdateKnowledgeBaseArticleArgs = {
  id: Scalars['ID']['input'];
  input: UpdateKnowledgeBaseArticleInput;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationUpdateReplyTemplateArgs = {
  id: Scalars['ID']['input'];
  input: UpdateReplyTemplateInput;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationUpdateTicketArgs = {
  id: Scalars['ID']['input'];
  input: UpdateTicketInputType;
  version: Scalars['Int']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationUpdateUserArgs = {
  id: Scalars['ID']['input'];
  input: UpdateUserInput;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type MutationUpdateWebhookEndpointArgs = {
  id: Scalars['ID']['input'];
  input: UpdateWebhookEndpointInput;
};

export type Order = {
  __typename?: 'Order';
  buyerName?: Maybe<Scalars['String']['output']>;
  buyerPhone?: Maybe<Scalars['String']['output']>;
  buyerPlatformId?: Maybe<Scalars['String']['output']>;
  channel?: Maybe<Channel>;
  createdAt: Scalars['DateTimeISO']['output'];
  currency: Scalars['String']['output'];
  customer?: Maybe<Customer>;
  discount: Scalars['SafeInt']['output'];
  /** When amounts, items and buyer were last read from the platform's order detail; null while a push is all that is known (amounts are then 0). */
  enrichedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  externalId: Scalars['String']['output'];
  flags: Scalars['JSONObject']['output'];
  /** Status pushes, oldest first. */
  history: Array<OrderStatusEvent>;
  id: Scalars['ID']['output'];
  items: Array<OrderItem>;
  placedAt: Scalars['DateTimeISO']['output'];
  platform: Platform;
  platformUpdatedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  rawStatus: Scalars['String']['output'];
  shippingFee: Scalars['SafeInt']['output'];
  shopId: Scalars['String']['output'];
  status: OrderStatus;
  statusSourceTime?: Maybe<Scalars['DateTimeISO']['output']>;
  /** Minor units of currency (VND has none). */
  subtotal: Scalars['SafeInt']['output'];
  total: Scalars['SafeInt']['output'];
  updatedAt: Scalars['DateTimeISO']['output'];
};

export type OrderConnection = {
  __typename?: 'OrderConnection';
  edges: Array<OrderEdge>;
  pageInfo: PageInfo;
  /** Rows matching the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type OrderEdge = {
  __typename?: 'OrderEdge';
  cursor: Scalars['String']['output'];
  node: Order;
};

/** A status change from the durable order event log. Resume a subscription with the cursor of the last event received. */
export type OrderEvent = {
  __typename?: 'OrderEvent';
  /** Pass as `after` to resume right after this event. */
  cursor: Scalars['String']['output'];
  /** The platform's time of the change. */
  eventTime: Scalars['DateTimeISO']['output'];
  /** The OrderStatusEvent this change was recorded as. */
  id: Scalars['ID']['output'];
  /** Null outside the viewer's scope. */
  order?: Maybe<Order>;
  platform: Platform;
  /** As the platform sent it. */
  rawStatus: Scalars['String']['output'];
  receivedAt: Scalars['DateTimeISO']['output'];
  status: OrderStatus;
};

/** Empty or absent lists filter nothing. */
export type OrderEventFilter = {
  channelIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  orderIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  platforms?: InputMaybe<Array<Platform>>;
  /** The status the event moved to. */
  statuses?: InputMaybe<Array<OrderStatus>>;
};

export type OrderFilter = {
  channelIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** Placed at or after this instant. From 1900-01-01 to 2100-12-31 (UTC). */
  placedFrom?: InputMaybe<Scalars['DateTimeISO']['input']>;
  /** Placed before this instant. From 1900-01-01 to 2100-12-31 (UTC). */
  placedTo?: InputMaybe<Scalars['DateTimeISO']['input']>;
  platforms?: InputMaybe<Array<Platform>>;
  statuses?: InputMaybe<Array<OrderStatus>>;
};

export type OrderItem = {
  __typename?: 'OrderItem';
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  quantity: Scalars['Int']['output'];
  sku: Scalars['String']['output'];
  total: Scalars['SafeInt']['output'];
  unitPrice: Scalars['SafeInt']['output'];
};

export type OrderReport = {
  __typename?: 'OrderReport';
  /** Per channel (shop); `label` is its name. */
  byChannel: Array<OrderReportRow>;
  /** Per DAY/WEEK/MONTH of placing; periods without orders are absent. */
  byPeriod: Array<OrderReportRow>;
  byPlatform: Array<OrderReportRow>;
  /** Per current normalized status. */
  byStatus: Array<OrderReportRow>;
  from: Scalars['String']['output'];
  groupBy: ReportPeriod;
  to: Scalars['String']['output'];
  total: OrderReportRow;
};

/** Orders placed in the range, in total or in one slice. */
export type OrderReportRow = {
  __typename?: 'OrderReportRow';
  /** Mean seconds from first reaching CONFIRMED to first reaching SHIPPED, over the orders that did both. */
  avgConfirmedToShippedSeconds?: Maybe<Scalars['Float']['output']>;
  /** Mean seconds from first SHIPPED to first DELIVERED, over the orders that did both. */
  avgShippedToDeliveredSeconds?: Maybe<Scalars['Float']['output']>;
  /** cancelled / orders (0 when there are none). */
  cancellationRate: Scalars['Float']['output'];
  cancelled: Scalars['Int']['output'];
  /** What the row is about: a platform, status, source... code, a channel, branch or user id, or the business date a period starts on. Null in `total`, and for rows without one (tickets without a result or assignee). */
  key?: Maybe<Scalars['String']['output']>;
  /** A channel name, where the key is one. */
  label?: Maybe<Scalars['String']['output']>;
  orders: Scalars['Int']['output'];
  /** returned / orders (0 when there are none). */
  returnRate: Scalars['Float']['output'];
  /** RETURN_REQUESTED or RETURNED. */
  returned: Scalars['Int']['output'];
  /** Sum of totals (minor units) of orders not CANCELLED, FAILED or RETURNED. */
  revenue: Scalars['SafeInt']['output'];
};

export type OrderStatus =
  | 'CANCELLED'
  | 'COMPLETED'
  | 'CONFIRMED'
  | 'DELIVERED'
  | 'FAILED'
  | 'PACKED'
  | 'PENDING_PAYMENT'
  | 'READY_TO_SHIP'
  | 'RETURNED'
  | 'RETURN_REQUESTED'
  | 'SHIPPED';

/** Orders of the viewer's scope on one platform in one current status. */
export type OrderStatusCount = {
  __typename?: 'OrderStatusCount';
  orders: Scalars['Int']['output'];
  platform: Platform;
  status: OrderStatus;
};

export type OrderStatusEvent = {
  __typename?: 'OrderStatusEvent';
  /** Whether the event moved the order (false: stale or duplicate). */
  applied: Scalars['Boolean']['output'];
  eventKey?: Maybe<Scalars['String']['output']>;
  eventTime: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  rawStatus: Scalars['String']['output'];
  receivedAt: Scalars['DateTimeISO']['output'];
  /** Null when the event only set a flag. */
  status?: Maybe<OrderStatus>;
};

export type OrderStatusItem = {
  __typename?: 'OrderStatusItem';
  code: Scalars['String']['output'];
  descriptionEn: Scalars['String']['output'];
  descriptionVi: Scalars['String']['output'];
  /** Rank on the main chain; null for side states. */
  rank?: Maybe<Scalars['Int']['output']>;
  /** No further status change is accepted. */
  terminal: Scalars['Boolean']['output'];
};

/** A manual order sync of one channel over a date range. */
export type OrderSyncJob = {
  __typename?: 'OrderSyncJob';
  channel: Channel;
  /** Orders that were not stored before. */
  created: Scalars['Int']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  /** Orders that could not be applied; see lastError. */
  failed: Scalars['Int']['output'];
  finishedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  /** Orders created at or after this time. */
  from: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  /** Why the sync failed, or the last order that failed. */
  lastError?: Maybe<Scalars['String']['output']>;
  /** Orders the platform listed. */
  ordersSeen: Scalars['Int']['output'];
  /** Pages of the order list read and applied. */
  pages: Scalars['Int']['output'];
  /** Who started the sync. */
  requestedBy?: Maybe<User>;
  startedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  status: OrderSyncStatus;
  /** Orders created before this time (exclusive). */
  to: Scalars['DateTimeISO']['output'];
  /** Stored orders already up to date (or newer than the platform). */
  unchanged: Scalars['Int']['output'];
  /** Stored orders whose status, amounts, items or buyer changed. */
  updated: Scalars['Int']['output'];
  updatedAt: Scalars['DateTimeISO']['output'];
};

export type OrderSyncJobConnection = {
  __typename?: 'OrderSyncJobConnection';
  edges: Array<OrderSyncJobEdge>;
  pageInfo: PageInfo;
  /** Rows matching the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type OrderSyncJobEdge = {
  __typename?: 'OrderSyncJobEdge';
  cursor: Scalars['String']['output'];
  node: OrderSyncJob;
};

export type OrderSyncStatus =
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

/** Orders placed per hour and platform, for a chart. */
export type OrderVolume = {
  __typename?: 'OrderVolume';
  /** One per hour, oldest first, the current hour last; hours without orders too. */
  buckets: Array<OrderVolumeBucket>;
  /** Platforms with orders in the window. */
  byPlatform: Array<PlatformOrderCount>;
  /** Start of the first hour. */
  from: Scalars['DateTimeISO']['output'];
  /** End of the last hour, the current one (excluded). */
  to: Scalars['DateTimeISO']['output'];
  total: Scalars['Int']['output'];
};

/** Orders placed in one clock hour. */
export type OrderVolumeBucket = {
  __typename?: 'OrderVolumeBucket';
  /** Platforms with orders in this hour. */
  byPlatform: Array<PlatformOrderCount>;
  orders: Scalars['Int']['output'];
  /** The hour starts here; it ends an hour later (excluded). */
  start: Scalars['DateTimeISO']['output'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** A one-time token for setPasswordWithToken; shown this once. */
export type PasswordToken = {
  __typename?: 'PasswordToken';
  expiresAt: Scalars['DateTimeISO']['output'];
  token: Scalars['String']['output'];
};

export type Payment = {
  __typename?: 'Payment';
  amount: Scalars['SafeInt']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  currency: Scalars['String']['output'];
  /** The payer's id for it (a gateway transaction, a bank reference); for MARKETPLACE, platform:shop:order. */
  externalId?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  method: Scalars['String']['output'];
  paidAt?: Maybe<Scalars['DateTimeISO']['output']>;
  source: PaymentSource;
  status: PaymentStatus;
};

export type PaymentConnection = {
  __typename?: 'PaymentConnection';
  edges: Array<PaymentEdge>;
  pageInfo: PageInfo;
  /** Rows matching the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type PaymentEdge = {
  __typename?: 'PaymentEdge';
  cursor: Scalars['String']['output'];
  node: Payment;
};

export type PaymentSource =
  | 'API'
  | 'MARKETPLACE';

export type PaymentStatus =
  | 'FAILED'
  | 'PAID'
  | 'PENDING'
  | 'REFUNDED';

export type PhoneType =
  | 'FOREIGN'
  | 'LANDLINE'
  | 'MOBILE'
  | 'OTHER';

export type Platform =
  | 'FACEBOOK'
  | 'LAZADA'
  | 'SENDO'
  | 'SHOPEE'
  | 'TIKI'
  | 'TIKTOK'
  | 'ZALO';

export type PlatformItem = {
  __typename?: 'PlatformItem';
  code: Scalars['String']['output'];
  descriptionEn: Scalars['String']['output'];
  descriptionVi: Scalars['String']['output'];
  marketplace: Scalars['Boolean']['output'];
};

/** Orders placed on one platform. */
export type PlatformOrderCount = {
  __typename?: 'PlatformOrderCount';
  orders: Scalars['Int']['output'];
  platform: Platform;
};

/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type Query = {
  __typename?: 'Query';
  aiStats: AiStats;
  aiStatus: AiStatus;
  apiKeys: Array<ApiKey>;
  /** Whether a user receives tickets in a branch. */
  assignment: AssignmentSetting;
  /** Every branch, by code: the ids that connectChannel, createTicket, createUser and updateAssignment take. */
  branches: Array<Branch>;
  /** The platform's authorization page for connecting (or re-authorizing) a shop, page or OA in a branch. Its state works once, for about 10 minutes (OAUTH_STATE_TTL_SECONDS); the platform then sends the browser to /oauth/<platform>/callback, which connects or updates the channels the platform names. BAD_USER_INPUT for Sendo (it connects with shop key and secret: connectChannel) or a platform whose app is not configured; NOT_FOUND for an unknown branch. */
  channelAuthorizationUrl: Scalars['String']['output'];
  /** Every connected channel with its integration health. */
  channels: Array<ChannelHealth>;
  /** NOT_FOUND (and null) outside the viewer's scope, so other aliases still answer. */
  conversation?: Maybe<Conversation>;
  /** Conversations started in the range that the viewer may see: response and resolution times, handoffs, and bot answers by fallback step. */
  conversationReport: ConversationReport;
  conversations: ConversationConnection;
  /** NOT_FOUND (and null) outside the viewer's scope, so other aliases still answer. */
  customer?: Maybe<Customer>;
  /** Every customer label, by code: the ids setCustomerLabels and filters take. */
  customerLabels: Array<CustomerLabel>;
  /** Customers created in the range by channel and period, possible duplicates, and revenue per label. */
  customerReport: CustomerReport;
  customers: CustomerConnection;
  /** Groups of likely duplicates: same phone (any spelling), same e-mail, same platform buyer id, or a similar name (pg_trgm >= 0.7) with the same last six phone digits. */
  duplicateCandidates: DuplicateGroupConnection;
  /** A customer import (POST /imports/customers): progress, counts and the cleaning report. */
  importJob?: Maybe<ImportJob>;
  /** Newest first. */
  inboundEvents: InboundEventConnection;
  /** Webhook pushes received in the range per platform and shop: applied, failed, dead letters, retries and dropped duplicates. */
  integrationReport: IntegrationReport;
  knowledgeBaseArticles: KnowledgeBaseArticleConnection;
  /** The signed-in user. */
  me: User;
  /** NOT_FOUND (and null) outside the viewer's scope, so other aliases still answer. */
  order?: Maybe<Order>;
  /** Orders placed in the range: count, revenue, cancellation and return rates and lead times, by platform, channel, status and period. */
  orderReport: OrderReport;
  /** Orders of the viewer's scope by platform and current status (cells with none are left out): the live board of the operations dashboard, which reads it again as orderEvents arrive. */
  orderStatusBoard: Array<OrderStatusCount>;
  /** NOT_FOUND (and null) for an unknown id. */
  orderSyncJob?: Maybe<OrderSyncJob>;
  /** Newest first. */
  orderSyncJobs: OrderSyncJobConnection;
  /** Orders placed per clock hour and platform over the last `hours` hours, the current hour last: the dashboard chart. */
  orderVolume: OrderVolume;
  orders: OrderConnection;
  /** The latest status changes, newest first, as `orderEvents` delivers them (same filter and scope). Subscribe with `after` set to the first one's cursor to continue without a gap. */
  recentOrderEvents: Array<OrderEvent>;
  /** The last run of a business date and its mismatches; `run` is null if the date was never reconciled. */
  reconciliationReport: ReconciliationReport;
  /** Every code list of the API with Vietnamese and English labels. */
  referenceData: ReferenceData;
  /** By name. Customer service picks canned replies from these (sendMessage templateId). */
  replyTemplates: Array<ReplyTemplate>;
  /** NOT_FOUND (and null) outside the viewer's scope, so other aliases still answer. */
  ticket?: Maybe<Ticket>;
  /** Tickets created in the range that the viewer may see (a staff member: their own), by source, result, status, target, branch, assignee and period. */
  ticketReport: TicketReport;
  tickets: TicketConnection;
  /** User accounts, newest first. Admin and IT see all; a team leader sees their own team. */
  users: UserConnection;
  /** Newest first. */
  webhookDeliveries: WebhookDeliveryConnection;
  webhookEndpoints: Array<WebhookEndpoint>;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryAiStatsArgs = {
  channelIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  from: Scalars['DateTimeISO']['input'];
  to: Scalars['DateTimeISO']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryAssignmentArgs = {
  branchId: Scalars['ID']['input'];
  userId: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryChannelAuthorizationUrlArgs = {
  branchId?: InputMaybe<Scalars['ID']['input']>;
  platform: Platform;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryConversationArgs = {
  id: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryConversationReportArgs = {
  channelIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  from: Scalars['String']['input'];
  groupBy?: ReportPeriod;
  to: Scalars['String']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryConversationsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ConversationFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryCustomerArgs = {
  id: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryCustomerReportArgs = {
  from: Scalars['String']['input'];
  groupBy?: ReportPeriod;
  to: Scalars['String']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryCustomersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<CustomerFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryDuplicateCandidatesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryImportJobArgs = {
  id: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryInboundEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<InboundEventFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryIntegrationReportArgs = {
  from: Scalars['String']['input'];
  platforms?: InputMaybe<Array<Platform>>;
  to: Scalars['String']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryKnowledgeBaseArticlesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<KnowledgeBaseArticleFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryOrderArgs = {
  id: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryOrderReportArgs = {
  channelIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  from: Scalars['String']['input'];
  groupBy?: ReportPeriod;
  platforms?: InputMaybe<Array<Platform>>;
  to: Scalars['String']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryOrderStatusBoardArgs = {
  channelIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  placedFrom?: InputMaybe<Scalars['DateTimeISO']['input']>;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryOrderSyncJobArgs = {
  id: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryOrderSyncJobsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  channelId?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryOrderVolumeArgs = {
  hours?: Scalars['Int']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<OrderFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryRecentOrderEventsArgs = {
  filter?: InputMaybe<OrderEventFilter>;
  first?: Scalars['Int']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryReconciliationReportArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  date: Scalars['String']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  kinds?: InputMaybe<Array<ReconciliationMismatchKind>>;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryReplyTemplatesArgs = {
  filter?: InputMaybe<ReplyTemplateFilter>;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryTicketArgs = {
  id: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryTicketReportArgs = {
  branchIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  from: Scalars['String']['input'];
  groupBy?: ReportPeriod;
  targets?: InputMaybe<Array<TicketTarget>>;
  to: Scalars['String']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryTicketsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<TicketFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  sort?: InputMaybe<TicketSortInput>;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryUsersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<UserFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryWebhookDeliveriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  endpointId: Scalars['ID']['input'];
  filter?: InputMaybe<WebhookDeliveryFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type QueryWebhookEndpointsArgs = {
  apiKeyId?: InputMaybe<Scalars['ID']['input']>;
};

/** An order and its payments that do not agree. */
export type ReconciliationMismatch = {
  __typename?: 'ReconciliationMismatch';
  /** Net paid in the order's currency, in minor units: its PAID payments (a refunded one counts zero). */
  actual: Scalars['SafeInt']['output'];
  currency: Scalars['String']['output'];
  /** What is wrong, for a person. */
  detail: Scalars['String']['output'];
  /** actual - expected, in minor units. */
  difference: Scalars['SafeInt']['output'];
  /** What should have been collected, in minor units: the order's total, 0 once cancelled, failed or returned. */
  expected: Scalars['SafeInt']['output'];
  id: Scalars['ID']['output'];
  kind: ReconciliationMismatchKind;
  /** When the order was placed, or the order-less payment was paid. */
  occurredAt: Scalars['DateTimeISO']['output'];
  order?: Maybe<Order>;
  /** Null for a MISSING_ORDER. */
  orderId?: Maybe<Scalars['ID']['output']>;
  /** The paid and refunded payments compared. */
  paymentIds: Array<Scalars['ID']['output']>;
};

export type ReconciliationMismatchConnection = {
  __typename?: 'ReconciliationMismatchConnection';
  edges: Array<ReconciliationMismatchEdge>;
  pageInfo: PageInfo;
  /** Rows matching the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type ReconciliationMismatchEdge = {
  __typename?: 'ReconciliationMismatchEdge';
  cursor: Scalars['String']['output'];
  node: ReconciliationMismatch;
};

export type ReconciliationMismatchKind =
  | 'AMOUNT_MISMATCH'
  | 'CURRENCY_MISMATCH'
  | 'MISSING_ORDER'
  | 'MISSING_PAYMENT';

/** A reconciled business day: its summary and what did not match. */
export type ReconciliationReport = {
  __typename?: 'ReconciliationReport';
  /** In the order the orders were placed or the payments paid. */
  mismatches: ReconciliationMismatchConnection;
  /** Null when the date was never reconciled (then there are no mismatches either). */
  run?: Maybe<ReconciliationRun>;
};

/** The summary of a reconciliation of payments against orders. */
export type ReconciliationRun = {
  __typename?: 'ReconciliationRun';
  /** The business date reconciled, YYYY-MM-DD in Asia/Ho_Chi_Minh. */
  date: Scalars['String']['output'];
  finishedAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  /** How many mismatches the run recorded. */
  mismatches: Scalars['Int']['output'];
  /** Orders placed, paid or settled on the date. */
  ordersChecked: Scalars['Int']['output'];
  /** Paid and refunded payments compared with those orders. */
  paymentsChecked: Scalars['Int']['output'];
  startedAt: Scalars['DateTimeISO']['output'];
};

/** A payment that succeeded, as its payer (gateway, bank, cashier) knows it. */
export type RecordPaymentInputType = {
  /** Minor units of currency (VND has none); above 0. */
  amount: Scalars['SafeInt']['input'];
  /** ISO 4217; VND when omitted. At most 1000 characters. */
  currency?: InputMaybe<Scalars['String']['input']>;
  /** Who paid; optional with an orderId whose customer is known (it must match). */
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** The payer's id for this payment (gateway transaction, bank reference): recording it again changes nothing. At most 200 characters. */
  externalId: Scalars['String']['input'];
  /** How it was paid, e.g. BANK_TRANSFER, CASH, CARD, E_WALLET. At most 50 characters. */
  method: Scalars['String']['input'];
  /** The order paid for, if any. */
  orderId?: InputMaybe<Scalars['ID']['input']>;
  /** When it was paid; now when omitted, never in the future. From 1900-01-01 to 2100-12-31 (UTC). */
  paidAt?: InputMaybe<Scalars['DateTimeISO']['input']>;
};

export type RecordPaymentResult = {
  __typename?: 'RecordPaymentResult';
  /** The after-sale care ticket (source 4) the payment opened, now or when first recorded; one per order or order-less payment, shared with the order's delivered milestone. */
  afterSaleTicket?: Maybe<Ticket>;
  /** false when this externalId was recorded before: nothing changed. */
  created: Scalars['Boolean']['output'];
  payment: Payment;
};

export type ReferenceData = {
  __typename?: 'ReferenceData';
  /** The bot's answer steps (BotStep), in the order its fallback chain tries them. */
  botSteps: Array<ReferenceItem>;
  conversationStatuses: Array<ReferenceItem>;
  genders: Array<ReferenceItem>;
  orderStatuses: Array<OrderStatusItem>;
  platforms: Array<PlatformItem>;
  roles: Array<ReferenceItem>;
  ticketResults: Array<ReferenceItem>;
  ticketSources: Array<TicketSourceItem>;
  ticketStatuses: Array<ReferenceItem>;
  ticketTargets: Array<ReferenceItem>;
};

/** A code with its Vietnamese and English labels. */
export type ReferenceItem = {
  __typename?: 'ReferenceItem';
  code: Scalars['String']['output'];
  descriptionEn: Scalars['String']['output'];
  descriptionVi: Scalars['String']['output'];
};

export type ReplyTemplate = {
  __typename?: 'ReplyTemplate';
  active: Scalars['Boolean']['output'];
  body: Scalars['String']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  /** Folded (lower case, no diacritics) words or phrases. */
  keywords: Array<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  /** Offered only on this platform; null: every platform. */
  platform?: Maybe<Platform>;
  updatedAt: Scalars['DateTimeISO']['output'];
  /** The variables its bodies use, without braces (customerName, orderId). */
  variables: Array<Scalars['String']['output']>;
  /** Platform-specific bodies; a platform without one gets `body`. */
  variants: Array<ReplyTemplateVariant>;
};

export type ReplyTemplateFilter = {
  /** Inactive templates too (default false). */
  includeInactive?: InputMaybe<Scalars['Boolean']['input']>;
  /** The templates offered on this platform: its own and the general ones. */
  platform?: InputMaybe<Platform>;
  /** Words in the name, body or keywords. At most 200 characters. */
  search?: InputMaybe<Scalars['String']['input']>;
};

export type ReplyTemplateInput = {
  /** Default true. */
  active?: InputMaybe<Scalars['Boolean']['input']>;
  /** The general wording. May hold the variables {customerName} and {orderId}; any other {name} is BAD_USER_INPUT (extensions.reason UNKNOWN_TEMPLATE_VARIABLE). At most 5000 characters. */
  body: Scalars['String']['input'];
  /** Words or phrases of a buyer's message that make the bot answer with this template (stored folded). At most 100 characters. */
  keywords?: InputMaybe<Array<Scalars['String']['input']>>;
  /** At most 200 characters. */
  name: Scalars['String']['input'];
  /** Offer the template on this platform only; null: every platform. */
  platform?: InputMaybe<Platform>;
  /** At most one per platform (only the template platform when it has one). */
  variants?: InputMaybe<Array<ReplyTemplateVariantInput>>;
};

/** Values for a template's variables in sendMessage. */
export type ReplyTemplateValuesInput = {
  /** Defaults to the conversation's customer's name. At most 1000 characters. */
  customerName?: InputMaybe<Scalars['String']['input']>;
  /** At most 1000 characters. */
  orderId?: InputMaybe<Scalars['String']['input']>;
};

export type ReplyTemplateVariant = {
  __typename?: 'ReplyTemplateVariant';
  body: Scalars['String']['output'];
  platform: Platform;
};

export type ReplyTemplateVariantInput = {
  /** May hold the variables {customerName} and {orderId}; any other {name} is BAD_USER_INPUT (extensions.reason UNKNOWN_TEMPLATE_VARIABLE). At most 5000 characters. */
  body: Scalars['String']['input'];
  platform: Platform;
};

/** Buckets in business time (Asia/Ho_Chi_Minh); weeks start on Monday. */
export type ReportPeriod =
  | 'DAY'
  | 'MONTH'
  | 'WEEK';

export type Role =
  | 'ADMIN'
  | 'BOD'
  | 'CUSTOMER_SERVICE'
  | 'CUSTOMER_SERVICE_LEADER'
  | 'IT'
  | 'PARTNER'
  | 'TELESALES'
  | 'TELESALES_LEADER';

/** Everything of CreateTicketInput but the customer, shared by every row. */
export type SharedTicketInput = {
  assigneeId?: InputMaybe<Scalars['ID']['input']>;
  branchId: Scalars['ID']['input'];
  /** At most 5000 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** From 1900-01-01 to 2100-12-31 (UTC). */
  dueAt?: InputMaybe<Scalars['DateTimeISO']['input']>;
  inChargeId?: InputMaybe<Scalars['ID']['input']>;
  source: TicketSource;
  target?: InputMaybe<TicketTarget>;
  /** At most 300 characters. */
  title: Scalars['String']['input'];
};

export type SortDirection =
  | 'ASC'
  | 'DESC';

/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type Subscription = {
  __typename?: 'Subscription';
  /** TOKEN_EXPIRING / TOKEN_EXPIRED: raised daily (08:00 Asia/Ho_Chi_Minh) for each channel with a pasted token (no refresh token) that expires within 7 days or has expired, once a day per expiry. REFRESH_FAILED: refreshing the token failed after its retries; the channel is NEEDS_REAUTHORIZATION until an OAuth callback completes (channelAuthorizationUrl). REAUTHORIZE_SOON: the refresh token or the authorization itself ends within 7 days (tokenExpiresAt is that end), raised once per end, also on the platforms' own expiry pushes. */
  channelAlert: ChannelAlert;
  /** Conversations created, answered, read, handed off, assigned, resolved or reopened, within your scope (customer-service staff: theirs and the unassigned queue; a reassigned agent is told once more), narrowed by the filter. */
  conversationChanged: ConversationChange;
  /** Changes to customer records (one event per merge, after it commits). */
  customerChanged: CustomerChange;
  /** The import job after every batch it writes, and once when it ends. */
  importJobProgress: ImportJob;
  /** New messages of one conversation (buyer, agent, bot), and again when an outbound message is SENT or FAILED. NOT_FOUND outside your scope. */
  messageAdded: Message;
  /** Orders of the viewer's scope as their status changes; a partner key sees its channels. */
  orderChanged: Order;
  /** Status changes of the viewer's orders (a partner key: its channels), in commit order. With `after` (an event's cursor) the events since then come first, then live ones: none missed, none twice, in order per order. */
  orderEvents: OrderEvent;
  /** The job as it stands, then after every page, until it SUCCEEDED or FAILED; then the stream completes. */
  orderSyncProgress: OrderSyncJob;
  /** Creates, updates, status changes, assignments and notes on tickets the viewer may see (scope re-checked per event), optionally narrowed by a filter. */
  ticketChanged: TicketChange;
  /** Your own open tickets, 30 minutes before they are due. */
  ticketReminder: TicketReminder;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type SubscriptionConversationChangedArgs = {
  filter?: InputMaybe<ConversationChangeFilter>;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type SubscriptionImportJobProgressArgs = {
  jobId: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type SubscriptionMessageAddedArgs = {
  conversationId: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type SubscriptionOrderChangedArgs = {
  channelIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type SubscriptionOrderEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<OrderEventFilter>;
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type SubscriptionOrderSyncProgressArgs = {
  jobId: Scalars['ID']['input'];
};


/** Every argument and input field follows one input policy; a value outside it is BAD_USER_INPUT naming the field in extensions.field, and nothing is read or written. Texts and ids: no control characters (U+0000-U+001F but tab, line feed and carriage return; U+007F-U+009F), no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069); a String at most as long as its description says, an ID at most 100 characters. Instants from 1900-01-01 to 2100-12-31 (UTC). */
export type SubscriptionTicketChangedArgs = {
  filter?: InputMaybe<TicketFilter>;
};

export type Ticket = {
  __typename?: 'Ticket';
  assignee?: Maybe<User>;
  belongTo: TicketTarget;
  branch?: Maybe<Branch>;
  completedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  createdAt: Scalars['DateTimeISO']['output'];
  customer?: Maybe<Customer>;
  description?: Maybe<Scalars['String']['output']>;
  dueAt?: Maybe<Scalars['DateTimeISO']['output']>;
  /** Newest first. */
  history: TicketHistoryConnection;
  id: Scalars['ID']['output'];
  /** The curator (in_charge). */
  inCharge?: Maybe<User>;
  isMissed: Scalars['Boolean']['output'];
  latestNote?: Maybe<TicketNote>;
  /** Newest first. */
  notes: TicketNoteConnection;
  result?: Maybe<TicketResult>;
  /** The ticket this one was created from. */
  rootTicket?: Maybe<Ticket>;
  source: TicketSource;
  status: TicketStatus;
  target: TicketTarget;
  /** A title the system wrote after the customer ends with the customer's current name. */
  title: Scalars['String']['output'];
  updatedAt: Scalars['DateTimeISO']['output'];
  /** Optimistic-lock version; send it back on update. */
  version: Scalars['Int']['output'];
};


export type TicketHistoryArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type TicketNotesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type TicketAutomationRule =
  | 'BIRTHDAY';

export type TicketAutomationRun = {
  __typename?: 'TicketAutomationRun';
  /** The tickets this run created; empty when an earlier run made them. */
  created: Array<Ticket>;
  /** The business date (Asia/Ho_Chi_Minh) the rule ran for. */
  date: Scalars['String']['output'];
  rule: TicketAutomationRule;
};

/** One change to a ticket, as pushed by ticketChanged. */
export type TicketChange = {
  __typename?: 'TicketChange';
  /** CREATED, UPDATED, ASSIGNED, COMPLETED, CANCELED, REOPENED, NOTE_ADDED or MISSED. */
  action: Scalars['String']['output'];
  /** The fields this change touched. */
  changedFields: Array<Scalars['String']['output']>;
  /** The ticket as it is after the change. */
  ticket: Ticket;
};

export type TicketConnection = {
  __typename?: 'TicketConnection';
  edges: Array<TicketEdge>;
  pageInfo: PageInfo;
  /** Rows matching the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type TicketEdge = {
  __typename?: 'TicketEdge';
  cursor: Scalars['String']['output'];
  node: Ticket;
};

/** All conditions combine with AND; list values match any of the list. */
export type TicketFilter = {
  assignees?: InputMaybe<Array<Scalars['ID']['input']>>;
  branchIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Curators (in_charge). */
  curators?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Drill-down from a customer. */
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** Tickets whose customer has any of these labels. */
  customerLabels?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Due at or after this instant. From 1900-01-01 to 2100-12-31 (UTC). */
  dueFrom?: InputMaybe<Scalars['DateTimeISO']['input']>;
  /** Due before this instant. From 1900-01-01 to 2100-12-31 (UTC). */
  dueTo?: InputMaybe<Scalars['DateTimeISO']['input']>;
  /** Customer name, phone or ticket title. At most 100 characters. */
  keywords?: InputMaybe<Scalars['String']['input']>;
  /** Only tickets whose due time passed while open. */
  missed?: InputMaybe<Scalars['Boolean']['input']>;
  /** How `keywords` match (default TEXT). */
  mode?: InputMaybe<KeywordMode>;
  /** One status. With `statuses` too, both must hold (ANDed like every condition). */
  status?: InputMaybe<TicketStatus>;
  /** Any of these statuses. */
  statuses?: InputMaybe<Array<TicketStatus>>;
  targets?: InputMaybe<Array<TicketTarget>>;
  ticketResults?: InputMaybe<Array<TicketResult>>;
  ticketSources?: InputMaybe<Array<TicketSource>>;
  timeLabel?: InputMaybe<TimeLabel>;
};

export type TicketHistory = {
  __typename?: 'TicketHistory';
  /** Who made the change; null for the system. */
  actor?: Maybe<User>;
  after?: Maybe<Scalars['JSON']['output']>;
  before?: Maybe<Scalars['JSON']['output']>;
  createdAt: Scalars['DateTimeISO']['output'];
  field: Scalars['String']['output'];
  id: Scalars['ID']['output'];
};

export type TicketHistoryConnection = {
  __typename?: 'TicketHistoryConnection';
  edges: Array<TicketHistoryEdge>;
  pageInfo: PageInfo;
  /** Rows matching the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type TicketHistoryEdge = {
  __typename?: 'TicketHistoryEdge';
  cursor: Scalars['String']['output'];
  node: TicketHistory;
};

export type TicketNote = {
  __typename?: 'TicketNote';
  author?: Maybe<User>;
  body: Scalars['String']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
};

export type TicketNoteConnection = {
  __typename?: 'TicketNoteConnection';
  edges: Array<TicketNoteEdge>;
  pageInfo: PageInfo;
  /** Rows matching the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type TicketNoteEdge = {
  __typename?: 'TicketNoteEdge';
  cursor: Scalars['String']['output'];
  node: TicketNote;
};

/** A ticket of yours is due soon. */
export type TicketReminder = {
  __typename?: 'TicketReminder';
  dueAt: Scalars['DateTimeISO']['output'];
  ticket: Ticket;
};

export type TicketReport = {
  __typename?: 'TicketReport';
  byAssignee: Array<TicketReportRow>;
  byBranch: Array<TicketReportRow>;
  byPeriod: Array<TicketReportRow>;
  byResult: Array<TicketReportRow>;
  bySource: Array<TicketReportRow>;
  byStatus: Array<TicketReportRow>;
  byTarget: Array<TicketReportRow>;
  from: Scalars['String']['output'];
  groupBy: ReportPeriod;
  to: Scalars['String']['output'];
  total: TicketReportRow;
};

/** Tickets created in the range, in total or in one slice. */
export type TicketReportRow = {
  __typename?: 'TicketReportRow';
  canceled: Scalars['Int']['output'];
  completed: Scalars['Int']['output'];
  /** completed / tickets. */
  completionRate: Scalars['Float']['output'];
  /** What the row is about: a platform, status, source... code, a channel, branch or user id, or the business date a period starts on. Null in `total`, and for rows without one (tickets without a result or assignee). */
  key?: Maybe<Scalars['String']['output']>;
  /** A branch or user name, where the key is one. */
  label?: Maybe<Scalars['String']['output']>;
  /** Median seconds from creation to completion of the completed ones. */
  medianTimeToCompleteSeconds?: Maybe<Scalars['Float']['output']>;
  /** Flagged missed (overdue when the missed-ticket job ran). */
  missed: Scalars['Int']['output'];
  /** missed / tickets. */
  missedRate: Scalars['Float']['output'];
  /** Still NEW or ASSIGNED with a due time already past. */
  overdue: Scalars['Int']['output'];
  tickets: Scalars['Int']['output'];
};

export type TicketResult =
  | 'CALL_LATER'
  | 'CANCEL_SERVICE'
  | 'COMPLETED'
  | 'HOLD_POTENTIAL_APPOINTMENT'
  | 'MISSED_CALL'
  | 'NOT_AVAILABLE_CALL'
  | 'NOT_INTERESTED'
  | 'TURN_OFF'
  | 'WRONG_INFORMATION'
  | 'WRONG_NUMBER';

export type TicketSortField =
  | 'CREATED_AT'
  | 'DUE_AT'
  | 'UPDATED_AT';

export type TicketSortInput = {
  /** Default DESC, ASC for DUE_AT; tickets without a due date come last. */
  direction?: InputMaybe<SortDirection>;
  /** Default CREATED_AT. */
  field?: InputMaybe<TicketSortField>;
};

export type TicketSource =
  | 'AFTER_SALE_CARE'
  | 'BIRTHDAY'
  | 'COMPLAINT'
  | 'CONTACT_VERIFICATION'
  | 'CONVERSATION'
  | 'FOLLOW_UP'
  | 'MANUAL'
  | 'NEW_CUSTOMER';

export type TicketSourceItem = {
  __typename?: 'TicketSourceItem';
  code: Scalars['String']['output'];
  descriptionEn: Scalars['String']['output'];
  descriptionVi: Scalars['String']['output'];
  /** The BR-CRM source number, 1 to 8. */
  number: Scalars['Int']['output'];
};

export type TicketStatus =
  | 'ASSIGNED'
  | 'CANCELED'
  | 'COMPLETED'
  | 'NEW';

export type TicketTarget =
  | 'CUSTOMER_SERVICE'
  | 'TELESALES';

/** Due-date buckets in business time (Asia/Ho_Chi_Minh); weeks start on Monday. */
export type TimeLabel =
  | 'NEXT_WEEK'
  | 'NO_DUE_DATE'
  | 'OVERDUE'
  | 'THIS_WEEK'
  | 'TODAY'
  | 'TOMORROW';

/** A field left out stays. */
export type UpdateBranchInput = {
  /** At most 1000 characters. */
  code?: InputMaybe<Scalars['String']['input']>;
  /** At most 200 characters. */
  name?: InputMaybe<Scalars['String']['input']>;
};

/** A field left out stays. Platform and externalShopId never change: orders and conversations are keyed by them. */
export type UpdateChannelInput = {
  /** null: no branch. */
  branchId?: InputMaybe<Scalars['ID']['input']>;
  credentials?: InputMaybe<ChannelCredentialsInput>;
  /** At most 200 characters. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** ACTIVE or DISCONNECTED. DISCONNECTED pauses what the API starts itself (order syncs, token alerts); the platform's pushes are still stored and applied. */
  status?: InputMaybe<ChannelStatus>;
};

/** A field left out stays; a null color clears it. */
export type UpdateCustomerLabelInput = {
  /** At most 1000 characters. */
  code?: InputMaybe<Scalars['String']['input']>;
  /** At most 1000 characters. */
  color?: InputMaybe<Scalars['String']['input']>;
  /** At most 200 characters. */
  name?: InputMaybe<Scalars['String']['input']>;
};

/** A field left out stays. */
export type UpdateKnowledgeBaseArticleInput = {
  /** At most 5000 characters. */
  body?: InputMaybe<Scalars['String']['input']>;
  /** At most 100 characters. */
  keywords?: InputMaybe<Scalars['String']['input']>;
  /** At most 300 characters. */
  title?: InputMaybe<Scalars['String']['input']>;
  type?: InputMaybe<KnowledgeBaseType>;
};

/** A field left out stays; `variants` replaces the whole list. */
export type UpdateReplyTemplateInput = {
  active?: InputMaybe<Scalars['Boolean']['input']>;
  /** May hold the variables {customerName} and {orderId}; any other {name} is BAD_USER_INPUT (extensions.reason UNKNOWN_TEMPLATE_VARIABLE). At most 5000 characters. */
  body?: InputMaybe<Scalars['String']['input']>;
  /** At most 100 characters. */
  keywords?: InputMaybe<Array<Scalars['String']['input']>>;
  /** At most 200 characters. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** null: every platform. */
  platform?: InputMaybe<Platform>;
  variants?: InputMaybe<Array<ReplyTemplateVariantInput>>;
};

export type UpdateTicketInputType = {
  /** At most 5000 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** null clears the due date. From 1900-01-01 to 2100-12-31 (UTC). */
  dueAt?: InputMaybe<Scalars['DateTimeISO']['input']>;
  /** Leaders only. */
  inChargeId?: InputMaybe<Scalars['ID']['input']>;
  /** At most 300 characters. */
  title?: InputMaybe<Scalars['String']['input']>;
};

/** A field left out stays. */
export type UpdateUserInput = {
  /** false: the user is signed out everywhere at once and cannot sign in. */
  active?: InputMaybe<Scalars['Boolean']['input']>;
  /** Exactly these branches. */
  branchIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** At most 200 characters. */
  fullName?: InputMaybe<Scalars['String']['input']>;
  role?: InputMaybe<Role>;
};

export type UpdateWebhookEndpointInput = {
  /** true: ACTIVE again (an UNHEALTHY endpoint is called again); false: DISABLED. */
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  events?: InputMaybe<Array<OrderStatus>>;
  /** At most 2048 characters. */
  url?: InputMaybe<Scalars['String']['input']>;
};

export type User = {
  __typename?: 'User';
  active: Scalars['Boolean']['output'];
  branches: Array<Branch>;
  createdAt: Scalars['DateTimeISO']['output'];
  email: Scalars['String']['output'];
  fullName: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  role: Role;
  updatedAt: Scalars['DateTimeISO']['output'];
};

export type UserConnection = {
  __typename?: 'UserConnection';
  edges: Array<UserEdge>;
  pageInfo: PageInfo;
  /** Rows matching the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type UserEdge = {
  __typename?: 'UserEdge';
  cursor: Scalars['String']['output'];
  node: User;
};

export type UserFilter = {
  active?: InputMaybe<Scalars['Boolean']['input']>;
  /** Users who work for this branch. */
  branchId?: InputMaybe<Scalars['ID']['input']>;
  /** Users with any of these roles. */
  roles?: InputMaybe<Array<Role>>;
  /** Part of the e-mail or the name. At most 200 characters. */
  search?: InputMaybe<Scalars['String']['input']>;
};

export type WebhookDelivery = {
  __typename?: 'WebhookDelivery';
  attempts: Scalars['SafeInt']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  /** The event's position: what orderEvents(after:) and redeliverWebhooksSince take. */
  cursor: Scalars['String']['output'];
  deliveredAt?: Maybe<Scalars['DateTimeISO']['output']>;
  endpointId: Scalars['ID']['output'];
  eventId: Scalars['ID']['output'];
  id: Scalars['ID']['output'];
  /** Why the last attempt failed (timeout, connection refused, HTTP 500...). */
  lastError?: Maybe<Scalars['String']['output']>;
  /** Milliseconds the last attempt took. */
  lastLatencyMs?: Maybe<Scalars['SafeInt']['output']>;
  /** The receiver's HTTP status on the last attempt. */
  lastResponseCode?: Maybe<Scalars['SafeInt']['output']>;
  nextAttemptAt?: Maybe<Scalars['DateTimeISO']['output']>;
  orderId: Scalars['ID']['output'];
  status: WebhookDeliveryStatus;
};

export type WebhookDeliveryConnection = {
  __typename?: 'WebhookDeliveryConnection';
  edges: Array<WebhookDeliveryEdge>;
  pageInfo: PageInfo;
  /** Rows matching the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type WebhookDeliveryEdge = {
  __typename?: 'WebhookDeliveryEdge';
  cursor: Scalars['String']['output'];
  node: WebhookDelivery;
};

export type WebhookDeliveryFilter = {
  status?: InputMaybe<WebhookDeliveryStatus>;
};

export type WebhookDeliveryStatus =
  | 'FAILED'
  | 'PENDING'
  | 'SUCCEEDED';

/** A partner app's HTTPS endpoint for order events, signed per endpoint. */
export type WebhookEndpoint = {
  __typename?: 'WebhookEndpoint';
  apiKeyId: Scalars['ID']['output'];
  /** Failed attempts since the last success. */
  consecutiveFailures: Scalars['SafeInt']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  /** The order statuses whose events the endpoint receives: an order moving into one of them. */
  events: Array<OrderStatus>;
  id: Scalars['ID']['output'];
  /** Until then, deliveries carry a signature with the previous secret too. */
  previousSecretExpiresAt?: Maybe<Scalars['DateTimeISO']['output']>;
  status: WebhookEndpointStatus;
  updatedAt: Scalars['DateTimeISO']['output'];
  url: Scalars['String']['output'];
};

export type WebhookEndpointStatus =
  | 'ACTIVE'
  | 'DISABLED'
  | 'UNHEALTHY';

export type WebhookEndpointWithSecret = {
  __typename?: 'WebhookEndpointWithSecret';
  endpoint: WebhookEndpoint;
  /** Shown this once. Verify X-Webhook-Signature with HMAC-SHA256 keyed with this exact string (see docs/partner-apps.md). */
  secret: Scalars['String']['output'];
};

export type TicketSourcesQueryVariables = Exact<{ [key: string]: never; }>;


export type TicketSourcesQuery = { __typename?: 'Query', referenceData: { __typename?: 'ReferenceData', ticketSources: Array<{ __typename?: 'TicketSourceItem', code: string, number: number, descriptionVi: string, descriptionEn: string }> } };

export type TicketsPageQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<TicketFilter>;
}>;


export type TicketsPageQuery = { __typename?: 'Query', tickets: { __typename?: 'TicketConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'TicketEdge', cursor: string, node: { __typename?: 'Ticket', id: string, title: string, status: TicketStatus, customer?: { __typename?: 'Customer', id: string, fullName: string, phone?: string | null } | null, assignee?: { __typename?: 'User', id: string, email: string, role: Role } | null, branch?: { __typename?: 'Branch', id: string, code: string } | null, latestNote?: { __typename?: 'TicketNote', body: string, author?: { __typename?: 'User', email: string } | null } | null } }> } };


export const TicketSourcesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TicketSources"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"referenceData"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ticketSources"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"descriptionVi"}},{"kind":"Field","name":{"kind":"Name","value":"descriptionEn"}}]}}]}}]}}]} as unknown as DocumentNode<TicketSourcesQuery, TicketSourcesQueryVariables>;
export const TicketsPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TicketsPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TicketFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tickets"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}}]}},{"kind":"Field","name":{"kind":"Name","value":"assignee"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}},{"kind":"Field","name":{"kind":"Name","value":"branch"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}},{"kind":"Field","name":{"kind":"Name","value":"latestNote"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"body"}},{"kind":"Field","name":{"kind":"Name","value":"author"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<TicketsPageQuery, TicketsPageQueryVariables>;