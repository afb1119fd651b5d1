import { AssignmentSetting, Conversation } from '../src/entities';
import { BotStep, ConversationStatus, Role } from '../src/entities/enums';
import { TOPICS } from '../src/kernel/topics';
import type { ConversationChangedEvent } from '../src/services/conversations/conversation-contracts';
import { botFixtures, recordingDelivery, recordTopic } from './support/bot-fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/** Handoff assignment (fewest open conversations, then least recently assigned) and leaders' reassignment. */
let t: TestApp;
let f: ReturnType<typeof botFixtures>;

beforeAll(async () => {
  t = await startTestApp({ delivery: recordingDelivery() });
  f = botFixtures(t.orm);
}, 60_000);
afterAll(() => t.close());

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

async function handOff(channel: Awaited<ReturnType<typeof f.channel>>) {
  const conversation = await f.conversation(channel);
  const message = await f.inbound(conversation, 'gặp nhân viên');
  await t.app.services.bot.onCustomerMessage(conversation.id, message.id);
  return f.reload(conversation);
}

test('handoff goes to the active agent of the branch with the fewest open conversations; ties go to the least recently assigned', async () => {
  const branch = await f.branch();
  const elsewhere = await f.branch();
  const busy = await f.agent([branch]);
  const inactive = await f.agent([branch], { active: false });
  const lighter = await f.agent([branch]);
  const otherBranch = await f.agent([elsewhere]);
  await f.agent([branch], { role: Role.CUSTOMER_SERVICE_LEADER });
  const optedOut = await f.agent([branch]);
  const em = t.orm.em.fork();
  em.create(AssignmentSetting, { branch: branch.id, user: optedOut.id, active: false });
  await em.flush();
  const channel = await f.channel(branch);
  const otherChannel = await f.channel(elsewhere);
  // Loads: busy 2 (and a resolved one, which does not count), lighter 1, the others 0.
  await f.conversation(channel, { assignee: busy, assignedAt: minutesAgo(30) });
  await f.conversation(channel, { assignee: busy, assignedAt: minutesAgo(20) });
  await f.conversation(channel, { assignee: busy, status: ConversationStatus.RESOLVED });
  await f.conversation(channel, { assignee: lighter, assignedAt: minutesAgo(10) });
  void inactive;
  void otherBranch;
  await f.conversation(otherChannel, { assignee: otherBranch });

  const events = recordTopic<ConversationChangedEvent>(t.bus, TOPICS.conversationChanged);
  const first = await handOff(channel);
  expect(first).toMatchObject({ status: ConversationStatus.ASSIGNED });
  expect(first.assignee?.id).toBe(lighter.id);
  expect(first.assignedAt).toBeInstanceOf(Date);
  expect(first.handedOffAt).toBeInstanceOf(Date);
  expect(events.events).toEqual(
    expect.arrayContaining([
      { conversationId: first.id, action: 'HANDED_OFF' },
      { conversationId: first.id, action: 'ASSIGNED', previousAssigneeId: null },
    ]),
  );
  // busy and lighter now both hold 2: busy's last assignment is older, so busy is next.
  const second = await handOff(channel);
  expect(second.assignee?.id).toBe(busy.id);
  // 3 and 2: lighter.
  const third = await handOff(channel);
  expect(third.assignee?.id).toBe(lighter.id);
  events.stop();
});

test('ten simultaneous handoffs spread by load, each conversation to exactly one agent', async () => {
  const branch = await f.branch();
  const channel = await f.channel(branch);
  const agents = [await f.agent([branch]), await f.agent([branch]), await f.agent([branch])];
  // Starting loads 0, 1, 2.
  await f.conversation(channel, { assignee: agents[1]!, assignedAt: minutesAgo(5) });
  await f.conversation(channel, { assignee: agents[2]!, assignedAt: minutesAgo(5) });
  await f.conversation(channel, { assignee: agents[2]!, assignedAt: minutesAgo(4) });
  const conversations = await Promise.all(
    Array.from({ length: 10 }, () => f.conversation(channel)),
  );
  const messages = await Promise.all(conversations.map((c) => f.inbound(c, 'talk to agent')));
  await Promise.all(
    conversations.map((c, i) => t.app.services.bot.onCustomerMessage(c.id, messages[i]!.id)),
  );
  const after = await t.orm.em
    .fork()
    .find(Conversation, { id: { $in: conversations.map((c) => c.id) } });
  expect(after.every((c) => c.status === ConversationStatus.ASSIGNED && c.assignee)).toBe(true);
  const rows = await t.orm.em.fork().execute<{ assignee_id: string; n: string }[]>(
    `select assignee_id, count(*) n from conversation where assignee_id in (?, ?, ?) and status <> 'RESOLVED' group by assignee_id`,
    agents.map((a) => a.id),
  );
  const loads = rows.map((r) => Number(r.n)).sort();
  expect(loads.reduce((a, b) => a + b, 0)).toBe(13);
  expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
  // One handoff notice per conversation: nobody was handed off twice.
  const notices = await t.orm.em
    .fork()
    .execute<{ n: string }[]>(
      `select count(*) n from message where conversation_id in (${conversations.map(() => '?').join(',')}) and bot_step = ?`,
      [...conversations.map((c) => c.id), BotStep.HANDOFF],
    );
  expect(Number(notices[0]!.n)).toBe(10);
});

test('no agent available (or no branch): the conversation waits unassigned in the queue and leaders hear of the handoff', async () => {
  const branch = await f.branch();
  await f.agent([branch], { active: false });
  const events = recordTopic<ConversationChangedEvent>(t.bus, TOPICS.conversationChanged);
  for (const channel of [await f.channel(branch), await f.channel()]) {
    const queued = await handOff(channel);
    expect(queued).toMatchObject({ status: ConversationStatus.OPEN });
    expect(queued.assignee ?? null).toBeNull();
    expect(queued.handedOffAt).toBeInstanceOf(Date);
    expect(events.events.filter((e) => e.conversationId === queued.id)).toEqual([
      { conversationId: queued.id, action: 'HANDED_OFF' },
    ]);
    // Queued after a handoff: the bot no longer answers it.
    const again = await f.inbound(queued, 'alo shop');
    await t.app.services.bot.onCustomerMessage(queued.id, again.id);
    expect(await f.botMessages(queued)).toHaveLength(1);
  }
  events.stop();
});

describe('reassignConversation', () => {
  const REASSIGN = `mutation($c: ID!, $a: ID!) { reassignConversation(conversationId: $c, assigneeId: $a) { id status assignee { id } } }`;

  test('a leader moves a conversation to another agent of the branch; the new and the previous agent hear of it', async () => {
    const branch = await f.branch();
    const [from, to] = [await f.agent([branch]), await f.agent([branch])];
    const leader = await f.agent([branch], { role: Role.CUSTOMER_SERVICE_LEADER });
    const channel = await f.channel(branch);
    const conversation = await f.conversation(channel, { assignee: from });
    const events = recordTopic<ConversationChangedEvent>(t.bus, TOPICS.conversationChanged);
    const res = await t.gql<{ reassignConversation: { status: string; assignee: { id: string } } }>(
      REASSIGN,
      { c: conversation.id, a: to.id },
      { token: t.tokenFor(leader) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.reassignConversation).toMatchObject({
      status: 'ASSIGNED',
      assignee: { id: to.id },
    });
    expect(events.events).toContainEqual({
      conversationId: conversation.id,
      action: 'ASSIGNED',
      previousAssigneeId: from.id,
    });
    events.stop();
    // Taking an unassigned conversation away from the bot counts as its handoff.
    const botHeld = await f.conversation(channel, { status: ConversationStatus.PENDING_BOT });
    await t.gql(REASSIGN, { c: botHeld.id, a: from.id }, { token: t.tokenFor(leader) });
    expect((await f.reload(botHeld)).handedOffAt).toBeInstanceOf(Date);
  });

  test('refused for a CS agent (FORBIDDEN) and for an assignee who is not an active CS agent of the branch (BAD_USER_INPUT)', async () => {
    const branch = await f.branch();
    const agent = await f.agent([branch]);
    const channel = await f.channel(branch);
    const conversation = await f.conversation(channel);
    const asAgent = await t.gql(
      REASSIGN,
      { c: conversation.id, a: agent.id },
      { token: t.tokenFor(agent) },
    );
    expect(asAgent.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const candidates = {
      otherBranch: await f.agent([await f.branch()]),
      inactive: await f.agent([branch], { active: false }),
      telesales: await f.agent([branch], { role: Role.TELESALES }),
      unknown: { id: '00000000-0000-4000-8000-000000000001' },
    };
    for (const [name, user] of Object.entries(candidates)) {
      const res = await t.gql(REASSIGN, { c: conversation.id, a: user.id });
      expect({ name, code: res.errors?.[0]?.extensions?.code }).toEqual({
        name,
        code: 'BAD_USER_INPUT',
      });
    }
    const missing = await t.gql(REASSIGN, {
      c: '00000000-0000-4000-8000-000000000002',
      a: agent.id,
    });
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await f.reload(conversation)).assignee ?? null).toBeNull();
  });
});
