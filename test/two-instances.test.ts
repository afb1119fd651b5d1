import { Role } from '../src/entities/enums';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { subscriber, waitFor } from './support/ws';

const redisUrl = process.env.REDIS_URL;

(redisUrl ? describe : describe.skip)('two API instances sharing Redis', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp({ redisUrl });
    b = await startTestApp({ redisUrl, database: a.database });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  test('a ticket changed through one instance reaches a subscriber on the other, within its scope', async () => {
    const make = factories(a.orm);
    const branch = await make.branch();
    const customer = await make.customer();
    const staff = await make.user({ role: Role.TELESALES });
    const other = await make.user({ role: Role.TELESALES });
    const leader = await make.user({ role: Role.TELESALES_LEADER });
    const ticket = await make.ticket({ customer, branch });

    const onB = subscriber(b.wsUrl, { authorization: `Bearer ${b.tokenFor(staff)}` });
    const otherOnB = subscriber(b.wsUrl, { authorization: `Bearer ${b.tokenFor(other)}` });
    const mine = onB.subscribe(
      'subscription { ticketChanged { action changedFields ticket { id } } }',
    );
    const theirs = otherOnB.subscribe('subscription { ticketChanged { action ticket { id } } }');
    await waitFor(() => b.bus.activeSubscriptions >= 4);
    // SUBSCRIBE to Redis is asynchronous; give it a moment before publishing.
    await new Promise((resolve) => setTimeout(resolve, 200));

    const assigned = await a.gql(
      'mutation($t: ID!, $u: ID!, $v: Int!) { assignTicket(ticketId: $t, assigneeId: $u, version: $v) { id } }',
      { t: ticket.id, u: staff.id, v: await a.ticketVersion(ticket.id) },
      { token: a.tokenFor(leader) },
    );
    expect(assigned.errors).toBeUndefined();
    await waitFor(() => mine.events.length === 1);
    expect(mine.events[0]!.data).toEqual({
      ticketChanged: {
        action: 'ASSIGNED',
        changedFields: ['assignee', 'status'],
        ticket: { id: ticket.id },
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(theirs.events).toEqual([]);
    await onB.client.dispose();
    await otherOnB.client.dispose();
  });
});
