import { registerEnumType } from 'type-graphql';
import { ApiKeyScope } from '../entities/api-key.entity';
import {
  ChannelAlertKind,
  ChannelStatus,
  ConversationStatus,
  Gender,
  InboundEventStatus,
  KnowledgeBaseType,
  MessageDirection,
  MessageSender,
  OrderStatus,
  OrderSyncStatus,
  PaymentStatus,
  Platform,
  ReconciliationMismatchKind,
  Role,
  TicketResult,
  TicketSource,
  TicketStatus,
  TicketTarget,
} from '../entities/enums';

const enums = {
  ApiKeyScope,
  ChannelAlertKind,
  ChannelStatus,
  ConversationStatus,
  Gender,
  InboundEventStatus,
  KnowledgeBaseType,
  MessageDirection,
  MessageSender,
  OrderStatus,
  OrderSyncStatus,
  PaymentStatus,
  Platform,
  ReconciliationMismatchKind,
  Role,
  TicketResult,
  TicketSource,
  TicketStatus,
  TicketTarget,
};

for (const [name, values] of Object.entries(enums)) registerEnumType(values, { name });
