import { registerEnumType } from 'type-graphql';
import { ApiKeyScope } from '../entities/api-key.entity';
import {
  BotStep,
  ChannelAlertKind,
  ChannelStatus,
  ConversationStatus,
  Gender,
  InboundEventStatus,
  KnowledgeBaseType,
  MessageDirection,
  MessageSender,
  MessageStatus,
  OrderStatus,
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
  BotStep,
  ChannelAlertKind,
  ChannelStatus,
  ConversationStatus,
  Gender,
  InboundEventStatus,
  KnowledgeBaseType,
  MessageDirection,
  MessageSender,
  MessageStatus,
  OrderStatus,
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
