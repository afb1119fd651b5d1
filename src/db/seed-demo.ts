import type { EntityClass, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { hashPassword } from '../auth/password';
import { phoneDigits, ticketKeywords } from '../services/tickets/ticket-filter';
import { compactReportSummaries } from '../jobs/compact-report-summaries.job';
import {
  AuditLog,
  Branch,
  Channel,
  Conversation,
  Customer,
  CustomerLabel,
  CustomerLabelLink,
  KnowledgeBaseArticle,
  Message,
  Order,
  OrderItem,
  OrderStatusEvent,
  Payment,
  ReplyTemplate,
  Ticket,
  TicketNote,
  User,
  UserBranch,
} from '../entities';
import { DEMO_ARTICLES, DEMO_TEMPLATES } from './demo-content';
import {
  BotStep,
  ConversationStatus,
  Gender,
  MARKETPLACES,
  MessageDirection,
  MessageSender,
  MessageStatus,
  OrderStatus,
  PaymentStatus,
  Platform,
  Role,
  TicketResult,
  TicketSource,
  TicketStatus,
  TicketTarget,
} from '../entities/enums';

export const DEMO_PASSWORD = 'demo1234';
const SEED_ACTION = 'seed:demo';
const BATCH = 2_000;
const DAY = 86_400_000;

/** mulberry32: small, fast and the same sequence on every machine for one seed. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const uuid = (): string => {
    const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
    hex[12] = '4';
    hex[16] = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  };
  return { next, int, pick, uuid, chance: (p: number) => next() < p };
}

type Random = ReturnType<typeof createRandom>;

const FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Ngọc', 'Thanh', 'Đức', 'Hữu', 'Thu', 'Quang', 'Gia'];
const GIVEN = [
  'An',
  'Bình',
  'Chi',
  'Dũng',
  'Giang',
  'Hà',
  'Hải',
  'Hạnh',
  'Hòa',
  'Hùng',
  'Khánh',
  'Lan',
  'Linh',
  'Long',
  'Mai',
  'Nam',
  'Nga',
  'Phúc',
  'Quân',
  'Thảo',
  'Trang',
  'Tuấn',
  'Vy',
  'Yến',
];
const PRODUCTS = [
  ['SKU-AO-THUN', 'Áo thun cotton', 149_000],
  ['SKU-QUAN-JEAN', 'Quần jean nữ', 329_000],
  ['SKU-SON-MOI', 'Son môi lì', 189_000],
  ['SKU-KEM-CHONG-NANG', 'Kem chống nắng SPF50', 259_000],
  ['SKU-TAI-NGHE', 'Tai nghe bluetooth', 499_000],
  ['SKU-BINH-GIU-NHIET', 'Bình giữ nhiệt 500ml', 219_000],
  ['SKU-GIAY-THE-THAO', 'Giày thể thao', 689_000],
  ['SKU-NON-BAO-HIEM', 'Nón bảo hiểm', 279_000],
] as const;

const fullName = (random: Random): string =>
  `${random.pick(FAMILY)} ${random.pick(MIDDLE)} ${random.pick(GIVEN)}`;

/** The main chain a demo order walked to reach `status`, for its history. */
function statusPath(status: OrderStatus): OrderStatus[] {
  const chain = [
    OrderStatus.PENDING_PAYMENT,
    OrderStatus.CONFIRMED,
    OrderStatus.PACKED,
    OrderStatus.READY_TO_SHIP,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.COMPLETED,
  ];
  const upTo = (last: OrderStatus) => chain.slice(0, chain.indexOf(last) + 1);
  switch (status) {
    case OrderStatus.CANCELLED:
      return [...upTo(OrderStatus.CONFIRMED), OrderStatus.CANCELLED];
    case OrderStatus.FAILED:
      return [...upTo(OrderStatus.SHIPPED), OrderStatus.FAILED];
    case OrderStatus.RETURN_REQUESTED:
      return [...upTo(OrderStatus.DELIVERED), OrderStatus.RETURN_REQUESTED];
    case OrderStatus.RETURNED:
      return [...upTo(OrderStatus.DELIVERED), OrderStatus.RETURN_REQUESTED, OrderStatus.RETURNED];
    case OrderStatus.PENDING_PAYMENT:
    case OrderStatus.CONFIRMED:
    case OrderStatus.PACKED:
    case OrderStatus.READY_TO_SHIP:
    case OrderStatus.SHIPPED:
    case OrderStatus.DELIVERED:
    case OrderStatus.COMPLETED:
      return upTo(status);
  }
}

/** A plausible raw status per platform, so the demo shows the mapping. */
const RAW_STATUS: Record<(typeof MARKETPLACES)[number], Record<OrderStatus, string>> = {
  LAZADA: {
    PENDING_PAYMENT: 'unpaid',
    CONFIRMED: 'pending',
    PACKED: 'packed',
    READY_TO_SHIP: 'ready_to_ship',
    SHIPPED: 'shipped',
    DELIVERED: 'delivered',
    COMPLETED: 'delivered',
    CANCELLED: 'canceled',
    FAILED: 'failed_delivery',
    RETURN_REQUESTED: 'RTM_INIT',
    RETURNED: 'returned',
  },
  SHOPEE: {
    PENDING_PAYMENT: 'UNPAID',
    CONFIRMED: 'READY_TO_SHIP',
    PACKED: 'READY_TO_SHIP',
    READY_TO_SHIP: 'PROCESSED',
    SHIPPED: 'SHIPPED',
    DELIVERED: 'TO_CONFIRM_RECEIVE',
    COMPLETED: 'COMPLETED',
    CANCELLED: 'CANCELLED',
    FAILED: 'SHIPPED',
    RETURN_REQUESTED: 'TO_RETURN',
    RETURNED: 'TO_RETURN',
  },
  TIKI: {
    PENDING_PAYMENT: 'waiting_payment',
    CONFIRMED: 'queueing',
    PACKED: 'finished_packing',
    READY_TO_SHIP: 'ready_to_ship',
    SHIPPED: 'shipping',
    DELIVERED: 'successful_delivery',
    COMPLETED: 'complete',
    CANCELLED: 'canceled',
    FAILED: 'shipping',
    RETURN_REQUESTED: 'returned',
    RETURNED: 'returned',
  },
  SENDO: {
    PENDING_PAYMENT: '23',
    CONFIRMED: '2',
    PACKED: '3',
    READY_TO_SHIP: '3',
    SHIPPED: '6',
    DELIVERED: '7',
    COMPLETED: '8',
    CANCELLED: '13',
    FAILED: '6',
    RETURN_REQUESTED: '21',
    RETURNED: '22',
  },
  TIKTOK: {
    PENDING_PAYMENT: 'UNPAID',
    CONFIRMED: 'AWAITING_SHIPMENT',
    PACKED: 'AWAITING_SHIPMENT',
    READY_TO_SHIP: 'AWAITING_COLLECTION',
    SHIPPED: 'IN_TRANSIT',
    DELIVERED: 'DELIVERED',
    COMPLETED: 'COMPLETED',
    CANCELLED: 'CANCELLED',
    FAILED: 'IN_TRANSIT',
    RETURN_REQUESTED: 'RETURN_OR_REFUND_REQUEST_PENDING',
    RETURNED: 'RETURN_OR_REFUND_REQUEST_SUCCESS',
  },
};

const ORDER_STATUS_WEIGHTS: [OrderStatus, number][] = [
  [OrderStatus.PENDING_PAYMENT, 4],
  [OrderStatus.CONFIRMED, 8],
  [OrderStatus.PACKED, 5],
  [OrderStatus.READY_TO_SHIP, 6],
  [OrderStatus.SHIPPED, 12],
  [OrderStatus.DELIVERED, 20],
  [OrderStatus.COMPLETED, 30],
  [OrderStatus.CANCELLED, 8],
  [OrderStatus.FAILED, 2],
  [OrderStatus.RETURN_REQUESTED, 2],
  [OrderStatus.RETURNED, 3],
];

function weighted<T>(random: Random, items: [T, number][]): T {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random.next() * total;
  for (const [item, weight] of items) {
    roll -= weight;
    if (roll < 0) return item;
  }
  return items[items.length - 1]![0];
}

export type SeedResult = { seeded: boolean; counts: Record<string, number> };

/** The long phases of the seed, each reported as it is written. */
export type SeedPhase = 'customers' | 'tickets' | 'orders' | 'conversations';

/** Told each phase's size, then its main rows written so far (src/cli/progress fits). */
export type SeedProgress = (
  phase: SeedPhase,
  total: number,
) => { update(done: number): void; finish(): void };

type Insert = <T extends object>(entity: EntityClass<T>, rows: object[]) => Promise<void>;

/**
 * One phase's rows, written every `chunk` main rows with its tables in
 * foreign-key order: the phase's progress moves with its inserts, and a large
 * scale never holds all of a phase's dependent rows in memory.
 */
function phaseWriter(
  insert: Insert,
  phase: SeedPhase,
  total: number,
  tables: EntityClass<object>[],
  progress: SeedProgress | undefined,
) {
  const reporter = progress?.(phase, total);
  // About twenty steps per phase, so a small demo shows progress too.
  const chunk = Math.max(1, Math.min(BATCH, Math.ceil(total / 20)));
  const pending = new Map(tables.map((table) => [table, [] as object[]]));
  let done = 0;
  const flush = async (): Promise<void> => {
    for (const [table, rows] of pending) {
      await insert(table, rows);
      rows.length = 0;
    }
    reporter?.update(done);
  };
  return {
    rows: (table: EntityClass<object>): object[] => pending.get(table)!,
    /** One main row is complete with its dependents. */
    async rowDone(): Promise<void> {
      done += 1;
      if (done % chunk === 0) await flush();
    },
    async end(): Promise<void> {
      if (done % chunk !== 0) await flush();
      reporter?.finish();
    },
  };
}

/**
 * Writes the demo data set in one transaction: deterministic (fixed seed, ids
 * included), all or nothing, and a second run finds its marker and adds nothing.
 */
export async function seedDemo(
  orm: MikroORM,
  options: { scale: number; env: string; logger: Logger; now?: Date; progress?: SeedProgress },
): Promise<SeedResult> {
  if (options.env === 'production') {
    throw new Error('seed:demo refuses to run with NODE_ENV=production');
  }
  if (!Number.isFinite(options.scale) || options.scale < 0.01 || options.scale > 100) {
    throw new Error(`--scale must be a number from 0.01 to 100, got ${options.scale}`);
  }
  const existing = await orm.em.fork().findOne(AuditLog, { action: SEED_ACTION });
  if (existing) return { seeded: false, counts: {} };

  const scale = options.scale;
  const now = options.now ?? new Date();
  const random = createRandom(20_261_122);
  const logger = options.logger;
  const counts: Record<string, number> = {};
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  await orm.em.fork().transactional(async (em) => {
    const insert = async <T extends object>(
      entity: EntityClass<T>,
      rows: object[],
    ): Promise<void> => {
      if (rows.length === 0) return;
      const name = entity.name;
      for (let i = 0; i < rows.length; i += BATCH) {
        await em.insertMany(entity, rows.slice(i, i + BATCH) as never[]);
      }
      counts[name] = (counts[name] ?? 0) + rows.length;
      // Debug: the phases' progress says the same on the terminal.
      logger.debug({ table: name, rows: rows.length }, 'seeded');
    };
    await seedAll(insert, random, scale, now, passwordHash, options.progress);
    await insert(AuditLog, [
      {
        id: random.uuid(),
        action: SEED_ACTION,
        entityType: 'database',
        data: { scale },
        createdAt: now,
      },
    ]);
  });
  // The demo's orders straight into the report's cells, not left as deltas for the first job.
  await compactReportSummaries(orm);
  // Fresh statistics, or the planner guesses from an empty database and picks bad plans.
  await orm.em.fork().execute('analyze');
  return { seeded: true, counts };
}

async function seedAll(
  insert: Insert,
  random: Random,
  scale: number,
  now: Date,
  passwordHash: string,
  progress: SeedProgress | undefined,
): Promise<void> {
  // A fractional scale (a quick look, a test) still writes at least one of each.
  const sized = (perScale: number): number => Math.max(1, Math.round(perScale * scale));
  const at = (daysAgoMax: number, daysAgoMin = 0): Date =>
    new Date(now.getTime() - random.int(daysAgoMin * DAY, daysAgoMax * DAY));

  const branches = [
    { id: random.uuid(), code: 'HCM', name: 'Chi nhánh Hồ Chí Minh', createdAt: at(400, 365) },
    { id: random.uuid(), code: 'HN', name: 'Chi nhánh Hà Nội', createdAt: at(400, 365) },
  ];
  await insert(Branch, branches);

  const staffCounts: Record<Role, number> = {
    ADMIN: 1,
    BOD: 1,
    IT: 1,
    TELESALES_LEADER: 2,
    CUSTOMER_SERVICE_LEADER: 2,
    TELESALES: 6,
    CUSTOMER_SERVICE: 6,
    PARTNER: 1,
  };
  const users: { id: string; role: Role; branchId: string }[] = [];
  const userRows: object[] = [];
  const userBranches: { user: string; branch: string }[] = [];
  for (const role of Object.values(Role)) {
    const slug = role.toLowerCase().replaceAll('_', '-');
    for (let n = 1; n <= staffCounts[role]; n += 1) {
      const id = random.uuid();
      const branch = branches[(n - 1) % branches.length]!;
      users.push({ id, role, branchId: branch.id });
      userRows.push({
        id,
        email: n === 1 ? `${slug}@demo.local` : `${slug}-${n}@demo.local`,
        passwordHash,
        fullName: fullName(random),
        role,
        active: true,
        createdAt: at(360, 300),
        updatedAt: at(300, 200),
      });
      userBranches.push({ user: id, branch: branch.id });
    }
  }
  await insert(User, userRows);
  await insert(UserBranch, userBranches);

  const labels = [
    ['VIP', 'Khách VIP', '#d4af37'],
    ['LOYAL', 'Khách thân thiết', '#2e7d32'],
    ['NEW', 'Khách mới', '#1565c0'],
    ['WHOLESALE', 'Khách sỉ', '#6a1b9a'],
    ['RISK', 'Hay bom hàng', '#c62828'],
    ['COD', 'Ưu tiên COD', '#ef6c00'],
  ].map(([code, name, color]) => ({
    id: random.uuid(),
    code,
    name,
    color,
    createdAt: at(365, 300),
  }));
  await insert(CustomerLabel, labels);

  const channels: { id: string; platform: Platform; shopId: string }[] = [];
  const channelRows: object[] = [];
  for (const platform of [...MARKETPLACES, Platform.FACEBOOK, Platform.ZALO]) {
    const perPlatform = (MARKETPLACES as readonly Platform[]).includes(platform) ? 2 : 1;
    for (let n = 1; n <= perPlatform; n += 1) {
      const id = random.uuid();
      const shopId = `${platform.toLowerCase()}-shop-${n}`;
      channels.push({ id, platform, shopId });
      channelRows.push({
        id,
        platform,
        externalShopId: shopId,
        name: `${platform} ${n === 1 ? 'Official Store' : 'Outlet'}`,
        shopKey: platform === Platform.SENDO ? `demo-sendo-key-${n}` : undefined,
        tokenExpiresAt: new Date(now.getTime() + random.int(-2, 60) * DAY),
        status: 'ACTIVE',
        branch: branches[(n - 1) % 2]!.id,
        createdAt: at(365, 300),
        updatedAt: at(30),
      });
    }
  }
  await insert(Channel, channelRows);

  const customers: { id: string; name: string; phone: string }[] = [];
  const customerCount = sized(1_000);
  const customerPhase = phaseWriter(
    insert,
    'customers',
    customerCount,
    [Customer, CustomerLabelLink],
    progress,
  );
  const customerRows = customerPhase.rows(Customer);
  const labelLinks = customerPhase.rows(CustomerLabelLink);
  for (let n = 0; n < customerCount; n += 1) {
    const id = random.uuid();
    const name = fullName(random);
    const phone = `+849${String(10_000_000 + n).padStart(8, '0')}`;
    customers.push({ id, name, phone });
    const createdAt = at(365);
    customerRows.push({
      id,
      fullName: name,
      phone,
      email: random.chance(0.6) ? `khachhang${n}@example.vn` : undefined,
      birthday: random.chance(0.7)
        ? `${random.int(1965, 2005)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`
        : undefined,
      gender: random.pick([Gender.MALE, Gender.FEMALE, Gender.FEMALE, Gender.OTHER]),
      branch: random.pick(branches).id,
      notes: random.chance(0.1) ? 'Khách thích được gọi buổi tối' : undefined,
      createdAt,
      updatedAt: createdAt,
    });
    for (const label of labels)
      if (random.chance(0.15)) labelLinks.push({ customer: id, customerLabel: label.id });
    await customerPhase.rowDone();
  }
  await customerPhase.end();

  const byRole = (role: Role) => users.filter((user) => user.role === role);
  const teams: Record<TicketTarget, { staff: typeof users; leaders: typeof users }> = {
    TELESALES: { staff: byRole(Role.TELESALES), leaders: byRole(Role.TELESALES_LEADER) },
    CUSTOMER_SERVICE: {
      staff: byRole(Role.CUSTOMER_SERVICE),
      leaders: byRole(Role.CUSTOMER_SERVICE_LEADER),
    },
  };
  const ticketCount = sized(5_000);
  const ticketPhase = phaseWriter(insert, 'tickets', ticketCount, [Ticket, TicketNote], progress);
  const ticketRows = ticketPhase.rows(Ticket);
  const noteRows = ticketPhase.rows(TicketNote);
  const sources = Object.values(TicketSource);
  const results = Object.values(TicketResult);
  const ticketIds: string[] = [];
  for (let n = 0; n < ticketCount; n += 1) {
    const id = random.uuid();
    const customer = random.pick(customers);
    const target = random.pick(Object.values(TicketTarget));
    const team = teams[target];
    const status = weighted(random, [
      [TicketStatus.NEW, 2],
      [TicketStatus.ASSIGNED, 4],
      [TicketStatus.COMPLETED, 3],
      [TicketStatus.CANCELED, 1],
    ]);
    const source = sources[n % sources.length]!;
    const createdAt = at(120);
    const dueAt = random.chance(0.9)
      ? new Date(createdAt.getTime() + random.int(1, 20) * DAY)
      : undefined;
    const open = status === TicketStatus.NEW || status === TicketStatus.ASSIGNED;
    const assignee = status === TicketStatus.NEW ? undefined : random.pick(team.staff);
    // Stored without the name, like the automatic tickets' titles: readers append it.
    const title = source === TicketSource.BIRTHDAY ? 'Chúc mừng sinh nhật' : 'Chăm sóc';
    ticketIds.push(id);
    ticketRows.push({
      id,
      title,
      assignee: assignee?.id,
      inCharge: assignee ? random.pick(team.leaders).id : undefined,
      target,
      belongTo: target,
      branch: assignee?.branchId ?? random.pick(branches).id,
      customer: customer.id,
      source,
      result:
        status === TicketStatus.COMPLETED
          ? random.pick(results)
          : status === TicketStatus.ASSIGNED && random.chance(0.4)
            ? random.pick([
                TicketResult.CALL_LATER,
                TicketResult.MISSED_CALL,
                TicketResult.TURN_OFF,
              ])
            : undefined,
      status,
      dueAt,
      isMissed: open && dueAt !== undefined && dueAt < now,
      titleNamesCustomer: true,
      keywords: ticketKeywords(title, { fullName: customer.name, phone: customer.phone }),
      phoneDigits: phoneDigits(customer.phone),
      rootTicket: n > 10 && random.chance(0.05) ? random.pick(ticketIds.slice(0, -1)) : undefined,
      version: 1,
      completedAt: status === TicketStatus.COMPLETED ? at(30) : undefined,
      createdAt,
      updatedAt: new Date(Math.min(now.getTime(), createdAt.getTime() + random.int(0, 5) * DAY)),
    });
    if (random.chance(0.5)) {
      const notes = random.int(1, 3);
      for (let k = 0; k < notes; k += 1) {
        noteRows.push({
          id: random.uuid(),
          ticket: id,
          author: (assignee ?? random.pick(team.leaders)).id,
          body: random.pick([
            'Khách hẹn gọi lại vào buổi chiều',
            'Đã tư vấn sản phẩm mới',
            'Khách chưa nghe máy',
            'Khách hài lòng với đơn hàng',
          ]),
          createdAt: new Date(createdAt.getTime() + (k + 1) * 3_600_000),
        });
      }
    }
    await ticketPhase.rowDone();
  }
  await ticketPhase.end();

  const marketplaceChannels = channels.filter((c) =>
    (MARKETPLACES as readonly Platform[]).includes(c.platform),
  );
  const orderCount = sized(20_000);
  const orderPhase = phaseWriter(
    insert,
    'orders',
    orderCount,
    [Order, OrderItem, OrderStatusEvent, Payment],
    progress,
  );
  const orderRows = orderPhase.rows(Order);
  const itemRows = orderPhase.rows(OrderItem);
  const eventRows = orderPhase.rows(OrderStatusEvent);
  const paymentRows = orderPhase.rows(Payment);
  for (let n = 0; n < orderCount; n += 1) {
    const id = random.uuid();
    const channel = random.pick(marketplaceChannels);
    const platform = channel.platform as (typeof MARKETPLACES)[number];
    const status = weighted(random, ORDER_STATUS_WEIGHTS);
    const customer = random.chance(0.85) ? random.pick(customers) : undefined;
    const placedAt = at(180);
    let subtotal = 0;
    const lines = random.int(1, 3);
    for (let k = 0; k < lines; k += 1) {
      const [sku, name, price] = random.pick(PRODUCTS);
      const quantity = random.int(1, 3);
      subtotal += price * quantity;
      itemRows.push({
        id: random.uuid(),
        order: id,
        sku,
        name,
        quantity,
        unitPrice: price,
        total: price * quantity,
      });
    }
    const shippingFee = random.pick([0, 15_000, 22_000, 30_000]);
    const discount = random.chance(0.3) ? random.pick([10_000, 20_000, 50_000]) : 0;
    const path = statusPath(status);
    let eventTime = placedAt.getTime();
    for (const step of path) {
      eventRows.push({
        id: random.uuid(),
        order: id,
        rawStatus: RAW_STATUS[platform][step],
        status: step,
        applied: true,
        eventTime: new Date(eventTime),
        receivedAt: new Date(eventTime + random.int(200, 5_000)),
        eventKey: `demo:${id}:${step}`,
      });
      eventTime += random.int(1, 48) * 3_600_000;
    }
    const lastEvent = new Date(Math.min(now.getTime(), eventTime));
    orderRows.push({
      id,
      platform,
      channel: channel.id,
      shopId: channel.shopId,
      externalId: `${platform}-${String(100_000_000 + n)}`,
      status,
      rawStatus: RAW_STATUS[platform][status],
      flags: {},
      statusSourceTime: lastEvent,
      customer: customer?.id,
      buyerName: customer?.name ?? fullName(random),
      buyerPhone: customer?.phone,
      currency: 'VND',
      subtotal,
      shippingFee,
      discount,
      total: subtotal + shippingFee - discount,
      placedAt,
      platformUpdatedAt: lastEvent,
      createdAt: placedAt,
      updatedAt: lastEvent,
    });
    if (status !== OrderStatus.PENDING_PAYMENT) {
      paymentRows.push({
        id: random.uuid(),
        order: id,
        customer: customer?.id,
        method: random.pick(['COD', 'SHOPEEPAY', 'MOMO', 'BANK_TRANSFER', 'CARD']),
        amount: subtotal + shippingFee - discount,
        currency: 'VND',
        status:
          status === OrderStatus.RETURNED
            ? PaymentStatus.REFUNDED
            : status === OrderStatus.CANCELLED
              ? PaymentStatus.FAILED
              : PaymentStatus.PAID,
        paidAt: new Date(placedAt.getTime() + 600_000),
        createdAt: placedAt,
      });
    }
    await orderPhase.rowDone();
  }
  await orderPhase.end();

  const chatChannels = channels.filter((c) => c.platform !== Platform.TIKI);
  const conversationCount = sized(500);
  const conversationPhase = phaseWriter(
    insert,
    'conversations',
    conversationCount,
    [Conversation, Message],
    progress,
  );
  const conversationRows = conversationPhase.rows(Conversation);
  const messageRows = conversationPhase.rows(Message);
  const agents = [...teams.CUSTOMER_SERVICE.staff, ...teams.TELESALES.staff];
  for (let n = 0; n < conversationCount; n += 1) {
    const id = random.uuid();
    const channel = random.pick(chatChannels);
    const customer = random.pick(customers);
    const status = random.pick(Object.values(ConversationStatus));
    const startedAt = at(60);
    const assignee =
      status === ConversationStatus.ASSIGNED || status === ConversationStatus.RESOLVED
        ? random.pick(agents)
        : undefined;
    let sentAt = startedAt.getTime();
    let firstResponseAt: Date | undefined;
    const messages = random.int(2, 8);
    for (let k = 0; k < messages; k += 1) {
      const inbound = k % 2 === 0;
      const sender = inbound
        ? MessageSender.CUSTOMER
        : assignee
          ? MessageSender.AGENT
          : MessageSender.BOT;
      if (!inbound && !firstResponseAt) firstResponseAt = new Date(sentAt);
      messageRows.push({
        id: random.uuid(),
        conversation: id,
        channel: channel.id,
        externalMessageId: `${channel.shopId}-m-${n}-${k}`,
        direction: inbound ? MessageDirection.INBOUND : MessageDirection.OUTBOUND,
        status: inbound ? MessageStatus.RECEIVED : MessageStatus.SENT,
        sender,
        author: sender === MessageSender.AGENT ? assignee?.id : undefined,
        body: inbound
          ? random.pick([
              'Shop ơi đơn của mình giao chưa?',
              'Cho mình hỏi size áo',
              'Mình muốn đổi hàng',
              'Gặp nhân viên',
            ])
          : random.pick([
              'Dạ shop kiểm tra ngay ạ',
              'Đơn hàng đang được giao ạ',
              'Dạ bạn vui lòng gửi mã đơn',
            ]),
        botStep:
          sender === MessageSender.BOT
            ? random.pick([BotStep.KNOWLEDGE_BASE, BotStep.TEMPLATE])
            : undefined,
        sentAt: new Date(sentAt),
        createdAt: new Date(sentAt),
      });
      sentAt += random.int(1, 120) * 60_000;
    }
    conversationRows.push({
      id,
      channel: channel.id,
      externalThreadId: `${channel.shopId}-thread-${n}`,
      customer: customer.id,
      assignee: assignee?.id,
      status,
      unreadCount: status === ConversationStatus.RESOLVED ? 0 : random.int(0, 3),
      lastMessageAt: new Date(sentAt),
      firstResponseAt,
      resolvedAt: status === ConversationStatus.RESOLVED ? new Date(sentAt) : undefined,
      createdAt: startedAt,
      updatedAt: new Date(sentAt),
    });
    await conversationPhase.rowDone();
  }
  await conversationPhase.end();

  const articles = DEMO_ARTICLES.map((article) => {
    const createdAt = at(200, 100);
    return { id: random.uuid(), ...article, createdAt, updatedAt: createdAt };
  });
  await insert(KnowledgeBaseArticle, articles);
  const templates = DEMO_TEMPLATES.map((template) => {
    const createdAt = at(200, 100);
    return {
      id: random.uuid(),
      ...template,
      variants: template.variants ?? [],
      active: true,
      createdAt,
      updatedAt: createdAt,
    };
  });
  await insert(ReplyTemplate, templates);
}
