import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { hashPassword } from '../src/auth/password';
import { type Channel, Conversation, Message, Order, type User } from '../src/entities';
import {
  BotStep,
  MessageDirection,
  MessageSender,
  Platform,
  Role,
  TicketStatus,
} from '../src/entities/enums';
import { describeInBrowser, launchChromium, screenshotPath } from './support/browser';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { pushes, sendPush, TEST_PLATFORM_ENV, type SignedPush } from './support/webhooks';

const PASSWORD = 'dashboard-pass-1';

describeInBrowser('operations dashboard in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let make: ReturnType<typeof factories>;
  let channel: Channel;
  let leader: User;
  let staff: User;
  let otherStaff: User;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  /** A script error or a failed request on the page fails the test that caused it. */
  const watchForErrors = (page: Page) => {
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('response', async (response) => {
      if (response.status() < 400) return;
      const body = await response.text().catch(() => '');
      pageErrors.push(`${response.status()} ${response.url()} ${body.slice(0, 300)}`);
    });
  };

  afterEach(() => {
    const errors = pageErrors.splice(0);
    expect(errors).toEqual([]);
  });

  const userWithPassword = async (role: Role, fullName: string): Promise<User> =>
    make.user({ role, fullName, passwordHash: await hashPassword(PASSWORD) });

  const send = async (push: SignedPush): Promise<void> => {
    expect((await sendPush(t.httpUrl, push)).status).toBe(200);
  };
  const lazadaPush = (order: string, status: string) =>
    pushes.lazada(channel.externalShopId, order, status, Math.floor(Date.now() / 1000));

  /** Fills the page's own sign-in form, as a person would. */
  const submitSignIn = async (page: Page, email: string, password: string): Promise<void> => {
    await page.goto(`${t.httpUrl}/dashboard/`);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
  };

  /** A new browser context, watched for errors, signed in as `user` with the page live. */
  const signIn = async (user: User): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    contexts.push(context);
    const page = await context.newPage();
    watchForErrors(page);
    await submitSignIn(page, user.email, PASSWORD);
    await page.waitForSelector('[data-testid=live-state][data-state=live]');
    return page;
  };

  /** The board's cell for a platform and status, once it shows `count`. */
  const boardCell = (platform: string, status: string, count: number) =>
    `[data-testid=order-board] tr[data-platform=${platform}] td[data-status=${status}]:text-is("${count}")`;

  const boardCount = (page: Page, platform: string, status: string) =>
    page
      .locator(`[data-testid=order-board] tr[data-platform=${platform}] td[data-status=${status}]`)
      .innerText()
      .then(Number);

  beforeAll(async () => {
    t = await startTestApp({ redisUrl: process.env.REDIS_URL, platformEnv: TEST_PLATFORM_ENV });
    make = factories(t.orm);
    channel = await make.channel({
      platform: Platform.LAZADA,
      externalShopId: `10${Math.floor(Math.random() * 1e8)}`,
      name: 'Lazada Shop HCM',
      tokenExpiresAt: new Date(Date.now() + 3 * 86_400_000),
    });
    leader = await userWithPassword(Role.ADMIN, 'Chị Quản Trị');
    staff = await userWithPassword(Role.TELESALES, 'Nguyễn Văn Sale');
    otherStaff = await userWithPassword(Role.TELESALES, 'Trần Thị Khác');
    const branch = await make.branch();
    const customer = await make.customer();
    const dueSoon = new Date(Date.now() + 60_000);
    await make.ticket(
      { customer, branch, assignee: staff },
      { title: 'Gọi lại khách của Sale', dueAt: dueSoon, status: TicketStatus.ASSIGNED },
    );
    await make.ticket(
      { customer, branch, assignee: otherStaff },
      { title: 'Gọi lại khách của người khác', dueAt: dueSoon, status: TicketStatus.ASSIGNED },
    );
    await make.ticket(
      { customer, branch, assignee: staff },
      { title: 'Phiếu bị bỏ lỡ', isMissed: true, status: TicketStatus.ASSIGNED },
    );
    // The bot answered four buyers this week: two by its AI, two further down the chain.
    const fanpage = await make.channel({ platform: Platform.FACEBOOK, name: 'Fanpage' });
    const em = t.orm.em.fork();
    const conversation = em.create(Conversation, {
      channel: fanpage.id,
      externalThreadId: `thread-${randomUUID().slice(0, 8)}`,
    });
    for (const botStep of [BotStep.AI, BotStep.AI, BotStep.KNOWLEDGE_BASE, BotStep.TEMPLATE]) {
      em.create(Message, {
        conversation,
        channel: fanpage.id,
        direction: MessageDirection.OUTBOUND,
        sender: MessageSender.BOT,
        body: 'Dạ shop xin chào ạ',
        botStep,
        botLatencyMs: 800,
        sentAt: new Date(),
      });
    }
    await em.flush();
    // An order that exists before the page opens: the board starts from it.
    await send(lazadaPush(`PRE-${randomUUID().slice(0, 6)}`, 'pending'));
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
  });

  it('shows a new marketplace order and the changed counts within 1 second of its push', async () => {
    const page = await signIn(leader);
    await page.waitForSelector('[data-testid=order-feed] li[data-order^="PRE-"]');
    const confirmedBefore = await boardCount(page, 'LAZADA', 'CONFIRMED');
    expect(confirmedBefore).toBe(1);

    const externalId = `LZ-${randomUUID().slice(0, 8)}`;
    const pushedAt = Date.now();
    await send(lazadaPush(externalId, 'pending'));
    // Both within the same second after the push was accepted.
    await Promise.all([
      page.waitForSelector(`[data-testid=order-feed] li[data-order="${externalId}"]`, {
        timeout: 1_000,
      }),
      page.waitForSelector(boardCell('LAZADA', 'CONFIRMED', confirmedBefore + 1), {
        timeout: 1_000,
      }),
    ]);
    const shownAfterMs = Date.now() - pushedAt;
    expect(shownAfterMs).toBeLessThan(1_000);

    // The status moves on: the count leaves CONFIRMED for SHIPPED.
    await send(lazadaPush(externalId, 'shipped'));
    await page.waitForSelector(boardCell('LAZADA', 'SHIPPED', 1), { timeout: 1_000 });
    expect(await boardCount(page, 'LAZADA', 'CONFIRMED')).toBe(confirmedBefore);

    // Channel health, tickets and the bot's panel are there with live data.
    await page.waitForSelector(`[data-testid=channel-health] tr[data-channel-id="${channel.id}"]`);
    const health = await page
      .locator(`[data-testid=channel-health] tr[data-channel-id="${channel.id}"]`)
      .innerText();
    expect(health).toContain('Lazada Shop HCM');
    expect(await page.locator('[data-testid=tickets-due-today] .count').innerText()).toBe('2');
    expect(await page.locator('[data-testid=bot-fallback-rate]').innerText()).toBe('50.0%');

    const file = screenshotPath('dashboard.png');
    await page.screenshot({ path: file, fullPage: true });
    process.stdout.write(`dashboard screenshot: ${file}\n`);
  });

  it('labels codes in Vietnamese or English from referenceData', async () => {
    const page = await signIn(leader);
    const header = page.locator('[data-testid=order-board] thead');
    await page.getByRole('button', { name: /English|Tiếng Việt/ }).click();
    const first = await header.innerText();
    await page.getByRole('button', { name: /English|Tiếng Việt/ }).click();
    const second = await header.innerText();
    const both = `${first}\n${second}`;
    const { data } = await t.gql<{
      referenceData: {
        orderStatuses: { code: string; descriptionVi: string; descriptionEn: string }[];
      };
    }>('{ referenceData { orderStatuses { code descriptionVi descriptionEn } } }');
    const shipped = data!.referenceData.orderStatuses.find((s) => s.code === 'SHIPPED')!;
    expect(both).toContain(shipped.descriptionVi);
    expect(both).toContain(shipped.descriptionEn);
  });

  it('resumes from its last event cursor after the connection drops: no gap, no duplicate', async () => {
    let socket: WebSocketRoute | null = null;
    let offline = false;
    const context = await browser.newContext();
    contexts.push(context);
    // The page's socket goes through this route, so the test can cut it like a network drop.
    await context.routeWebSocket(/\/graphql$/, (ws) => {
      if (offline) {
        void ws.close({ code: 1006, reason: 'network down' });
        return;
      }
      socket = ws;
      ws.connectToServer();
    });
    const page = await context.newPage();
    await submitSignIn(page, leader.email, PASSWORD);
    await page.waitForSelector('[data-testid=live-state][data-state=live]');

    offline = true;
    await (socket as WebSocketRoute | null)?.close({ code: 1006, reason: 'network down' });
    await page.waitForSelector('[data-testid=live-state][data-state=reconnecting]');

    const missed = [1, 2, 3].map((n) => `GAP${n}-${randomUUID().slice(0, 6)}`);
    for (const id of missed) await send(lazadaPush(id, 'pending'));
    // Applied while the page is away: they live only in the event log now.
    await waitFor(async () => {
      const em = t.orm.em.fork();
      return (await em.count(Order, { externalId: { $in: missed } })) === missed.length;
    });
    expect(await page.locator(`[data-testid=order-feed] li[data-order^="GAP"]`).count()).toBe(0);

    offline = false;
    await page.waitForSelector('[data-testid=live-state][data-state=live]', { timeout: 10_000 });
    for (const id of missed) {
      await page.waitForSelector(`[data-testid=order-feed] li[data-order="${id}"]`);
    }
    const live = `LIVE-${randomUUID().slice(0, 6)}`;
    await send(lazadaPush(live, 'pending'));
    await page.waitForSelector(`[data-testid=order-feed] li[data-order="${live}"]`);

    const items = page.locator('[data-testid=order-feed] li');
    const shown: (string | null)[] = [];
    for (let i = 0; i < (await items.count()); i += 1) {
      shown.push(await items.nth(i).getAttribute('data-order'));
    }
    for (const id of [...missed, live]) expect(shown.filter((o) => o === id)).toHaveLength(1);
    // Newest first, in the order they were applied.
    expect(shown.indexOf(live)).toBeLessThan(shown.indexOf(missed[2]!));
    expect(shown.indexOf(missed[2]!)).toBeLessThan(shown.indexOf(missed[0]!));
  });

  it('notices a silent network drop by its keep-alive ping, then resumes without a gap', async () => {
    let muted = false;
    const context = await browser.newContext();
    contexts.push(context);
    // The sockets open when the network drops go quiet both ways without
    // closing, as when a phone leaves Wi-Fi; sockets opened later pass
    // everything. (Not "the first socket": the page may have opened and
    // closed one before the one it is live on.)
    await context.routeWebSocket(/\/graphql$/, (ws) => {
      const openedBeforeTheDrop = !muted;
      const quiet = () => openedBeforeTheDrop && muted;
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        if (!quiet()) server.send(message);
      });
      server.onMessage((message) => {
        if (!quiet()) ws.send(message);
      });
    });
    const page = await context.newPage();
    watchForErrors(page);
    await submitSignIn(page, leader.email, PASSWORD);
    await page.waitForSelector('[data-testid=live-state][data-state=live]');
    // Every state the page shows, recorded as it changes: "reconnecting" lasts
    // only until the retry a quarter second later, too short to poll for.
    // (A string: this file is typed without the DOM library.)
    await page.evaluate(`{
      const status = document.querySelector('[data-testid=live-state]');
      window.liveStates = [];
      new MutationObserver(() => window.liveStates.push(status.getAttribute('data-state'))).observe(
        status,
        { attributes: true, attributeFilter: ['data-state'] },
      );
    }`);

    muted = true;
    const missed = `QUIET-${randomUUID().slice(0, 6)}`;
    await send(lazadaPush(missed, 'pending'));
    // A ping every 10 s, 5 s for its pong: the page must find out by itself.
    await page.waitForFunction(
      () => {
        const states = (globalThis as unknown as { liveStates: string[] }).liveStates;
        const dropped = states.indexOf('reconnecting');
        return dropped >= 0 && states.indexOf('live', dropped) > dropped;
      },
      undefined,
      { timeout: 25_000 },
    );
    await page.waitForSelector(`[data-testid=order-feed] li[data-order="${missed}"]`);
    expect(await page.locator(`[data-testid=order-feed] li[data-order="${missed}"]`).count()).toBe(
      1,
    );
  }, 45_000);

  it('a telesales staff user sees only their own tickets, and no channel health', async () => {
    const page = await signIn(staff);
    await page.waitForSelector('[data-testid=tickets-due-today] .count');
    const dueToday = await page.locator('[data-testid=tickets-due-today] li').allInnerTexts();
    expect(dueToday.join('\n')).toContain('Gọi lại khách của Sale');
    expect(dueToday.join('\n')).not.toContain('Gọi lại khách của người khác');
    expect(await page.locator('[data-testid=tickets-due-today] .count').innerText()).toBe('1');
    expect(await page.locator('[data-testid=tickets-missed] .count').innerText()).toBe('1');
    await expect(page.locator('[data-testid=channel-health]').innerText()).resolves.toMatch(
      /Not available for your role|Không dành cho vai trò của bạn/,
    );
  });

  it('a user deactivated while the page is open is sent back to sign-in', async () => {
    const leaving = await userWithPassword(Role.TELESALES, 'Người Sắp Nghỉ');
    const page = await signIn(leaving);
    const result = await t.gql(
      'mutation($id: ID!) { setUserActive(userId: $id, active: false) { id } }',
      {
        id: leaving.id,
      },
    );
    expect(result.errors).toBeUndefined();
    await page.waitForSelector('[data-testid=login]', { timeout: 10_000 });
    expect(await page.locator('[data-testid=order-board]').count()).toBe(0);
    // The refused reads that sent it back are expected here.
    pageErrors.splice(0);
  });

  it('a wrong password keeps the sign-in form with the error', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await submitSignIn(page, staff.email, 'not-the-password');
    await page.waitForSelector('[role=alert]:not(:empty)');
    expect(await page.locator('[role=alert]').innerText()).toMatch(/password|mật khẩu/i);
    expect(await page.locator('[data-testid=order-board]').count()).toBe(0);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
