import { ObjectType } from 'type-graphql';
import {
  Conversation,
  Customer,
  CustomerNote,
  Message,
  Order,
  Payment,
  Ticket,
  TicketHistory,
  TicketNote,
} from '../entities';
import { ActivityItem, DuplicateGroup } from './customer.types';
import { ConnectionType } from './pagination';

@ObjectType()
export class TicketConnection extends ConnectionType(Ticket) {}

@ObjectType()
export class CustomerConnection extends ConnectionType(Customer) {}

@ObjectType()
export class OrderConnection extends ConnectionType(Order) {}

@ObjectType()
export class ConversationConnection extends ConnectionType(Conversation) {}

@ObjectType()
export class MessageConnection extends ConnectionType(Message) {}

@ObjectType()
export class TicketHistoryConnection extends ConnectionType(TicketHistory) {}

@ObjectType()
export class TicketNoteConnection extends ConnectionType(TicketNote) {}

@ObjectType()
export class CustomerNoteConnection extends ConnectionType(CustomerNote) {}

@ObjectType()
export class PaymentConnection extends ConnectionType(Payment) {}

@ObjectType()
export class ActivityItemConnection extends ConnectionType(ActivityItem) {}

@ObjectType()
export class DuplicateGroupConnection extends ConnectionType(DuplicateGroup) {}
