import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import {
  Branch,
  Channel,
  Customer,
  Order,
  Payment,
  Ticket,
  TicketNote,
  User,
} from '../../src/entities';
import {
  OrderStatus,
  PaymentStatus,
  Platform,
  Role,
  TicketSource,
  TicketStatus,
  TicketTarget,
} from '../../src/entities/enums';

let sequence = 0;
const next = (): number => (sequence += 1);

/** Builders for test data: every test makes the rows it needs, nothing is shared. */
export function factories(orm: MikroORM) {
  const em = (): EntityManager => orm.em.fork();

  const branch = async (overrides: Partial<Branch> = {}): Promise<Branch> => {
    const e = em();
    const n = next();
    const row = e.create(Branch, {
      code: `B${n}-${randomUUID().slice(0, 6)}`,
      name: `Branch ${n}`,
      ...overrides,
    });
    await e.flush();
    return row;
  };

  const user = async (overrides: Partial<Omit<User, 'branches'>> = {}): Promise<User> => {
    const e = em();
    const n = next();
    const row = e.create(User, {
      email: `user${n}-${randomUUID().slice(0, 8)}@test.local`,
      passwordHash: 'unused',
      fullName: `User ${n}`,
      role: Role.TELESALES,
      ...overrides,
    });
    await e.flush();
    return row;
  };

  const customer = async (overrides: Partial<Omit<Customer, 'labels'>> = {}): Promise<Customer> => {
    const e = em();
    const n = next();
    const row = e.create(Customer, {
      fullName: `Khách ${n}`,
      phone: `+8491${String(n).padStart(7, '0')}`,
      ...overrides,
    });
    await e.flush();
    return row;
  };

  const ticket = async (
    refs: { customer: Customer; branch: Branch; assignee?: User },
    overrides: Partial<Omit<Ticket, 'customer' | 'branch' | 'assignee'>> = {},
  ): Promise<Ticket> => {
    const e = em();
    const row = e.create(Ticket, {
      title: `Ticket ${next()}`,
      target: TicketTarget.TELESALES,
      belongTo: TicketTarget.TELESALES,
      source: TicketSource.MANUAL,
      status: refs.assignee ? TicketStatus.ASSIGNED : TicketStatus.NEW,
      customer: refs.customer.id,
      branch: refs.branch.id,
      assignee: refs.assignee?.id,
      ...overrides,
    });
    await e.flush();
    return row;
  };

  const note = async (ticket: Ticket, author: User, body: string, createdAt = new Date()) => {
    const e = em();
    const row = e.create(TicketNote, { ticket: ticket.id, author: author.id, body, createdAt });
    await e.flush();
    return row;
  };

  const channel = async (overrides: Partial<Channel> = {}): Promise<Channel> => {
    const e = em();
    const row = e.create(Channel, {
      platform: Platform.SHOPEE,
      externalShopId: `shop-${randomUUID().slice(0, 8)}`,
      name: 'Test shop',
      ...overrides,
    });
    await e.flush();
    return row;
  };

  const order = async (
    refs: { channel: Channel; customer?: Customer },
    overrides: Partial<Omit<Order, 'channel' | 'customer'>> = {},
  ): Promise<Order> => {
    const e = em();
    const row = e.create(Order, {
      platform: refs.channel.platform,
      channel: refs.channel.id,
      shopId: refs.channel.externalShopId,
      externalId: `EXT-${next()}-${randomUUID().slice(0, 6)}`,
      status: OrderStatus.CONFIRMED,
      rawStatus: 'READY_TO_SHIP',
      customer: refs.customer?.id,
      subtotal: 100_000,
      total: 100_000,
      placedAt: new Date(),
      ...overrides,
    });
    await e.flush();
    return row;
  };

  const payment = async (
    refs: { order?: Order; customer?: Customer },
    overrides: Partial<Omit<Payment, 'order' | 'customer'>> = {},
  ): Promise<Payment> => {
    const e = em();
    const row = e.create(Payment, {
      order: refs.order?.id,
      customer: refs.customer?.id,
      method: 'BANK_TRANSFER',
      amount: refs.order?.total ?? 100_000,
      currency: refs.order?.currency ?? 'VND',
      status: PaymentStatus.PAID,
      paidAt: new Date(),
      ...overrides,
    });
    await e.flush();
    return row;
  };

  return { branch, user, customer, ticket, note, channel, order, payment };
}
