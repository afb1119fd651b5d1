import { ApiKey } from './api-key.entity';
import { AssignmentSetting } from './assignment-setting.entity';
import { AuditLog } from './audit-log.entity';
import { Branch } from './branch.entity';
import { Channel } from './channel.entity';
import { Conversation } from './conversation.entity';
import { CustomerIdentity } from './customer-identity.entity';
import { CustomerMerge } from './customer-merge.entity';
import { CustomerNote } from './customer-note.entity';
import { ErasedIdentity } from './erased-identity.entity';
import { ImportJob } from './import-job.entity';
import { CustomerLabelLink } from './customer-label-link.entity';
import { CustomerLabel } from './customer-label.entity';
import { Customer } from './customer.entity';
import { InboundEvent } from './inbound-event.entity';
import { KnowledgeBaseArticle } from './knowledge-base-article.entity';
import { Message } from './message.entity';
import { OAuthState } from './oauth-state.entity';
import { OrderItem } from './order-item.entity';
import { OrderMilestone } from './order-milestone.entity';
import { OrderReportCell, OrderReportDelta } from './order-report.entity';
import { OrderStatusEvent } from './order-status-event.entity';
import { OrderSyncJob } from './order-sync-job.entity';
import { Order } from './order.entity';
import { PasswordResetToken } from './password-reset-token.entity';
import { Payment } from './payment.entity';
import { ReconciliationMismatch } from './reconciliation-mismatch.entity';
import { ReconciliationRun } from './reconciliation-run.entity';
import { TicketHistory } from './ticket-history.entity';
import { TicketNote } from './ticket-note.entity';
import { ReplyTemplate } from './reply-template.entity';
import { Ticket } from './ticket.entity';
import { UserBranch } from './user-branch.entity';
import { User } from './user.entity';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export {
  ApiKey,
  AssignmentSetting,
  AuditLog,
  Branch,
  Channel,
  Conversation,
  Customer,
  CustomerIdentity,
  CustomerMerge,
  CustomerNote,
  ErasedIdentity,
  ImportJob,
  CustomerLabel,
  CustomerLabelLink,
  InboundEvent,
  KnowledgeBaseArticle,
  Message,
  OAuthState,
  Order,
  OrderItem,
  OrderMilestone,
  OrderReportCell,
  OrderReportDelta,
  OrderStatusEvent,
  OrderSyncJob,
  PasswordResetToken,
  Payment,
  ReconciliationMismatch,
  ReconciliationRun,
  ReplyTemplate,
  Ticket,
  TicketHistory,
  TicketNote,
  User,
  UserBranch,
  WebhookDelivery,
  WebhookEndpoint,
};

export const entities = [
  ApiKey,
  AssignmentSetting,
  AuditLog,
  Branch,
  Channel,
  Conversation,
  Customer,
  CustomerIdentity,
  CustomerMerge,
  CustomerNote,
  ErasedIdentity,
  ImportJob,
  CustomerLabel,
  CustomerLabelLink,
  InboundEvent,
  KnowledgeBaseArticle,
  Message,
  OAuthState,
  Order,
  OrderItem,
  OrderMilestone,
  OrderReportCell,
  OrderReportDelta,
  OrderStatusEvent,
  OrderSyncJob,
  PasswordResetToken,
  Payment,
  ReconciliationMismatch,
  ReconciliationRun,
  ReplyTemplate,
  Ticket,
  TicketHistory,
  TicketNote,
  User,
  UserBranch,
  WebhookDelivery,
  WebhookEndpoint,
];
