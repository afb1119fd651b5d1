import pino from 'pino';
import { DEMO_TEMPLATES } from '../src/db/demo-content';
import { seedDemo } from '../src/db/seed-demo';
import { verifyPassword } from '../src/auth/password';
import { User } from '../src/entities';
import { Role } from '../src/entities/enums';
import { startTestApp, type TestApp } from './support/test-app';

const logger = pino({ level: 'silent' });
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const count = async (sql: string): Promise<number> => {
  const [row] = await t.orm.em.fork().execute<{ n: string }[]>(sql);
  return Number(row!.n);
};

test('refuses to run in production', async () => {
  await expect(seedDemo(t.orm, { scale: 1, env: 'production', logger })).rejects.toThrow(
    /production/,
  );
  expect(await count('select count(*) as n from ticket')).toBe(0);
});

describe('after seeding', () => {
  beforeAll(async () => {
    const result = await seedDemo(t.orm, { scale: 1, env: 'test', logger });
    expect(result.seeded).toBe(true);
  }, 120_000);

  test('writes the promised volumes', async () => {
    expect(await count('select count(*) as n from branch')).toBe(2);
    expect(await count('select count(*) as n from customer')).toBe(1_000);
    expect(await count('select count(*) as n from ticket')).toBe(5_000);
    expect(await count('select count(*) as n from customer_order')).toBe(20_000);
    expect(await count('select count(*) as n from conversation')).toBe(500);
    expect(await count('select count(*) as n from message')).toBeGreaterThanOrEqual(1_000);
    expect(await count('select count(*) as n from order_status_event')).toBeGreaterThan(20_000);
    expect(await count('select count(distinct type) as n from knowledge_base_article')).toBe(2);
    // Reply templates, the bot's TEMPLATE step and agents' canned replies, with platform variants.
    expect(await count('select count(*) as n from reply_template where active')).toBe(
      DEMO_TEMPLATES.length,
    );
    expect(
      await count(
        `select count(*) as n from reply_template where jsonb_array_length(variants) > 0`,
      ),
    ).toBeGreaterThan(0);
    // Titles the seed wrote after the customer hold no name: it is appended when read.
    expect(
      await count(
        `select count(*) as n from ticket t join customer c on c.id = t.customer_id where t.title like '%' || c.full_name || '%'`,
      ),
    ).toBe(0);
    expect(await count('select count(distinct platform) as n from customer_order')).toBe(5);
  });

  test('spreads tickets over every source, result, status and target', async () => {
    expect(await count('select count(distinct source) as n from ticket')).toBe(8);
    expect(await count('select count(distinct result) as n from ticket')).toBe(10);
    expect(await count('select count(distinct status) as n from ticket')).toBe(4);
    expect(await count('select count(distinct target) as n from ticket')).toBe(2);
    expect(await count('select count(distinct assignee_id) as n from ticket')).toBe(12);
  });

  test('has an active user per role who signs in with demo1234', async () => {
    const em = t.orm.em.fork();
    for (const role of Object.values(Role)) {
      const email = `${role.toLowerCase().replaceAll('_', '-')}@demo.local`;
      const user = await em.findOneOrFail(User, { email }, { populate: ['passwordHash'] });
      expect(user).toMatchObject({ role, active: true });
      expect(await verifyPassword('demo1234', user.passwordHash)).toBe(true);
    }
    expect(await em.count(User, { email: 'telesales-leader@demo.local' })).toBe(1);
  });

  test('tickets(first: 50) answers with nested customer and assignee, and totalCount matches the table', async () => {
    const res = await t.gql<{
      tickets: {
        totalCount: number;
        edges: {
          node: {
            status: string;
            customer: { fullName: string } | null;
            assignee: { email: string } | null;
          };
        }[];
      };
    }>(
      '{ tickets(first: 50) { totalCount edges { node { status customer { fullName phone } assignee { email role } } } } }',
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.tickets.totalCount).toBe(await count('select count(*) as n from ticket'));
    expect(res.data!.tickets.edges).toHaveLength(50);
    for (const { node } of res.data!.tickets.edges) {
      expect(node.customer?.fullName).toBeTruthy();
      if (node.status !== 'NEW') expect(node.assignee?.email).toMatch(/@demo\.local$/);
      else expect(node.assignee).toBeNull();
    }
  });

  test('a second run adds nothing', async () => {
    const before = await count('select count(*) as n from customer_order');
    const again = await seedDemo(t.orm, { scale: 1, env: 'test', logger });
    expect(again.seeded).toBe(false);
    expect(await count('select count(*) as n from customer_order')).toBe(before);
  });
});
