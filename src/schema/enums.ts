import { registerEnumType } from 'type-graphql';
import {
  ChannelStatus,
  ConversationStatus,
  Gender,
  InboundEventStatus,
  KnowledgeBaseType,
  MessageDirection,
  MessageSender,
  OrderStatus,
  PaymentStatus,
  Platform,
  Role,
  TicketResult,
  TicketSource,
  TicketStatus,
  TicketTarget,
} from '../entities/enums';

const enums = {
  ChannelStatus,
  ConversationStatus,
  Gender,
  InboundEventStatus,
  KnowledgeBaseType,
  MessageDirection,
  MessageSender,
  OrderStatus,
  PaymentStatus,
  Platform,
  Role,
  TicketResult,
  TicketSource,
  TicketStatus,
  TicketTarget,
};

for (const [name, values] of Object.entries(enums)) registerEnumType(values, { name });
