import { AssignmentResolver } from './assignment.resolver';
import { AuthResolver } from './auth.resolver';
import { BotResolver } from './bot.resolver';
import { BranchResolver } from './branch.resolver';
import { ChannelHealthResolver } from './channel.resolver';
import { InboundEventResolver } from './inbound-event.resolver';
import { KnowledgeBaseResolver } from './knowledge-base.resolver';
import { ConversationResolver, MessageResolver } from './conversation.resolver';
import {
  CustomerMergeResolver,
  CustomerWriteResolver,
  DuplicateGroupResolver,
} from './customer-admin.resolver';
import { CustomerResolver } from './customer.resolver';
import { CustomerLabelResolver } from './customer-label.resolver';
import { ImportJobResolver } from './customer-import.resolver';
import {
  CustomerNoteResolver,
  CustomerWorkspaceFieldsResolver,
  CustomerWorkspaceResolver,
} from './customer-workspace.resolver';
import { OrderEventResolver, OrderResolver } from './order.resolver';
import { OrderSyncResolver } from './order-sync.resolver';
import { PaymentResolver } from './payment.resolver';
import { ReconciliationResolver } from './reconciliation.resolver';
import { ReferenceDataResolver } from './reference-data.resolver';
import { ReplyTemplateResolver } from './reply-template.resolver';
import { ReportResolver } from './report.resolver';
import { TicketHistoryResolver, TicketNoteResolver, TicketResolver } from './ticket.resolver';
import { UserAdminResolver } from './user-admin.resolver';
import { ChannelResolver, UserResolver } from './user.resolver';
import { WebhookDeliveryResolver, WebhookEndpointResolver } from './webhook.resolver';

export const resolvers = [
  AssignmentResolver,
  AuthResolver,
  BotResolver,
  BranchResolver,
  ChannelHealthResolver,
  InboundEventResolver,
  KnowledgeBaseResolver,
  ChannelResolver,
  ConversationResolver,
  CustomerMergeResolver,
  CustomerLabelResolver,
  CustomerResolver,
  CustomerWriteResolver,
  DuplicateGroupResolver,
  ImportJobResolver,
  CustomerNoteResolver,
  CustomerWorkspaceFieldsResolver,
  CustomerWorkspaceResolver,
  MessageResolver,
  OrderEventResolver,
  OrderResolver,
  OrderSyncResolver,
  PaymentResolver,
  ReconciliationResolver,
  ReferenceDataResolver,
  ReplyTemplateResolver,
  ReportResolver,
  TicketHistoryResolver,
  TicketNoteResolver,
  TicketResolver,
  UserAdminResolver,
  UserResolver,
  WebhookDeliveryResolver,
  WebhookEndpointResolver,
] as const;
