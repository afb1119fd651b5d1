import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { hashPassword } from '../src/auth/password';
import { type Channel, Conversation, Message, Order, type User } from '../src/entities';
import {
  BotStep,
  ChannelStatus,
  MessageDirection,
  MessageSender,
  Platform,
  Role,
  TicketStatus,
} from '../src/entities/enums';
import {
  describeInBrowser,
  launchChromium,
  measureLayout,
  screenshotPath,
} from './support/browser';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { pushes, sendPush, TEST_PLATFORM_ENV, type SignedPush } from './support/webhooks';

const PASSWORD = 'dashboard-pass-1';
const HOUR_MS = 3_600_000;
/** A full date and time with the year, as the page shows every instant. */
const FULL_DATE_TIME = /^20\d\d-\d\d-\d\d \d\d:\d\d:\d\d$/;

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

  const DESKTOP = { viewport: { width: 1400, height: 1000 } };
  /** An iPhone 14-sized window, as a phone's browser lays the page out (its viewport meta honoured). */
  const PHONE = {
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    // Vietnamese on the phone, English on the desktop: both languages' labels must fit.
    locale: 'vi-VN',
  };

  /** A new browser context, watched for errors, signed in as `user` with the page live. */
  const signIn = async (user: User, device: typeof DESKTOP | typeof PHONE = DESKTOP) => {
    const context = await browser.newContext(device);
    contexts.push(context);
    const page = await context.newPage();
    watchForErrors(page);
    await submitSignIn(page, user.email, PASSWORD);
    await page.waitForSelector('[data-testid=live-state][data-state=live]');
    return page;
  };

  const referenceData = async () => {
    type Item = { code: string; descriptionVi: string; descriptionEn: string };
    const { data } = await t.gql<{ referenceData: { botSteps: Item[]; roles: Item[] } }>(
      '{ referenceData { botSteps { code descriptionVi descriptionEn } roles { code descriptionVi descriptionEn } } }',
    );
    return data!.referenceData;
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
    // Two Shopee orders five hours ago, for the orders-per-hour chart.
    const shopee = await make.channel({ platform: Platform.SHOPEE, name: 'Shopee Hà Nội' });
    for (let i = 0; i < 2; i += 1) {
      await make.order({ channel: shopee }, { placedAt: new Date(Date.now() - 5 * HOUR_MS) });
    }
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

  it('shows a channel whose refresh kept failing as needing re-authorization, in both languages', async () => {
    const stuck = await make.channel({
      platform: Platform.SHOPEE,
      name: 'Shopee cần ủy quyền',
      status: ChannelStatus.NEEDS_REAUTHORIZATION,
    });
    const page = await signIn(leader);
    const row = page.locator(`[data-testid=channel-health] tr[data-channel-id="${stuck.id}"]`);
    await row.waitFor();
    const first = await row.innerText();
    await page.getByRole('button', { name: /English|Tiếng Việt/ }).click();
    // The language switch redraws the panel; wait for the row's text to change.
    let second = first;
    for (let tries = 0; tries < 50 && second === first; tries += 1) {
      await page.waitForTimeout(100);
      second = await row.innerText();
    }
    const both = `${first}\n${second}`;
    expect(both).toContain('Shopee cần ủy quyền');
    expect(both).toContain('Cần ủy quyền lại');
    expect(both).toContain('Needs re-authorization');
    expect(await row.locator('td.warn').count()).toBeGreaterThan(0);
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

  it('at 1400 px: wide panels, events newest first with their year, bot steps in words, orders per hour', async () => {
    const newer = `NEW-${randomUUID().slice(0, 6)}`;
    const older = `OLD-${randomUUID().slice(0, 6)}`;
    await send(lazadaPush(newer, 'pending'));
    // Reported late: the log holds it after `newer`, but it happened two hours before.
    const twoHoursAgo = Math.floor((Date.now() - 2 * HOUR_MS) / 1000);
    await send(pushes.lazada(channel.externalShopId, older, 'pending', twoHoursAgo));

    const page = await signIn(leader);
    await page.waitForSelector(`[data-testid=order-feed] li[data-order="${older}"]`);
    await page.waitForSelector('[data-testid=order-volume] rect.bar');
    await page.waitForSelector('[data-testid=bot-fallback] .bot-steps li');

    // The latest events: newest first by the time shown, each with its year.
    const feed = page.locator('[data-testid=order-feed] li');
    const orders: (string | null)[] = [];
    const instants: number[] = [];
    for (let i = 0; i < (await feed.count()); i += 1) {
      orders.push(await feed.nth(i).getAttribute('data-order'));
      const time = feed.nth(i).locator('time');
      expect(await time.innerText()).toMatch(FULL_DATE_TIME);
      instants.push(Date.parse((await time.getAttribute('datetime')) ?? ''));
    }
    expect(instants.every((instant) => Number.isFinite(instant))).toBe(true);
    expect(instants).toEqual([...instants].sort((a, b) => b - a));
    expect(orders.indexOf(newer)).toBeLessThan(orders.indexOf(older));
    const year = String(new Date(Date.now() + 7 * HOUR_MS).getUTCFullYear());
    expect(await feed.first().locator('time').innerText()).toContain(year);
    for (const due of await page.locator('[data-testid=tickets] time').allInnerTexts()) {
      expect(due).toMatch(FULL_DATE_TIME);
    }

    // Event and ticket panels have room: ids, times and names keep to one line.
    const layout = await measureLayout(page, [
      '[data-testid=order-feed] li > *',
      '[data-testid=tickets] li > *',
    ]);
    expect(layout.wrapped).toEqual([]);
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
    for (const id of ['order-feed', 'tickets']) {
      const panel = layout.panels.find((p) => p.id === id)!;
      expect(panel.right - panel.left).toBeGreaterThan(600);
    }
    // The board fits: no hint to scroll it.
    expect(await page.locator('[data-testid=order-board] .scroll-hint').isVisible()).toBe(false);

    // The bot's steps and the viewer's role in words from referenceData, not codes.
    const reference = await referenceData();
    const bot = await page.locator('[data-testid=bot-fallback]').innerText();
    for (const code of ['AI', 'KNOWLEDGE_BASE', 'TEMPLATE']) {
      const step = reference.botSteps.find((s) => s.code === code)!;
      expect([step.descriptionVi, step.descriptionEn].some((label) => bot.includes(label))).toBe(
        true,
      );
    }
    expect(bot).not.toMatch(/KNOWLEDGE_BASE|TEMPLATE/);
    const admin = reference.roles.find((r) => r.code === 'ADMIN')!;
    const viewer = await page.locator('[data-testid=viewer]').innerText();
    expect([admin.descriptionVi, admin.descriptionEn].some((l) => viewer.includes(l))).toBe(true);
    expect(viewer).not.toContain('ADMIN');

    // Orders per hour by platform: 24 hours, a bar per platform for each hour with
    // orders, as tall as its count, and the same figures as the API's.
    type Drawn = { start: string; bars: { platform: string; orders: number; height: number }[] };
    const drawn = await page.evaluate<
      Drawn[]
    >(`[...document.querySelectorAll('[data-testid=order-volume] g.hour')]
      .map((g) => ({ start: g.dataset.start, bars: [...g.querySelectorAll('rect.bar')].map((r) => ({
        platform: r.dataset.platform, orders: Number(r.dataset.orders), height: Number(r.getAttribute('height')),
      })) }))`);
    const { data } = await t.gql<{
      orderVolume: {
        buckets: { start: string; byPlatform: { platform: string; orders: number }[] }[];
      };
    }>('{ orderVolume(hours: 24) { buckets { start byPlatform { platform orders } } } }');
    const byPlatform = (rows: { platform: string; orders: number }[]) =>
      rows
        .map(({ platform, orders }) => ({ platform, orders }))
        .sort((x, y) => x.platform.localeCompare(y.platform));
    expect(drawn.map((hour) => ({ start: hour.start, byPlatform: byPlatform(hour.bars) }))).toEqual(
      data!.orderVolume.buckets.map((hour) => ({
        start: hour.start,
        byPlatform: byPlatform(hour.byPlatform),
      })),
    );
    const bars = drawn.flatMap((hour) => hour.bars);
    const pixelsPerOrder = bars[0]!.height / bars[0]!.orders;
    for (const bar of bars)
      expect(Math.abs(bar.height - bar.orders * pixelsPerOrder)).toBeLessThan(1);
    const hourOf = (instant: number) =>
      drawn.find(
        (hour) => Date.parse(hour.start) <= instant && instant < Date.parse(hour.start) + HOUR_MS,
      )!;
    const platformIn = (hour: Drawn, platform: string) =>
      hour.bars.find((bar) => bar.platform === platform)?.orders ?? 0;
    expect(platformIn(hourOf(Date.now() - 5 * HOUR_MS), 'SHOPEE')).toBe(2);
    expect(platformIn(hourOf(twoHoursAgo * 1000), 'LAZADA')).toBeGreaterThanOrEqual(1);
    expect(platformIn(drawn.at(-1)!, 'LAZADA')).toBeGreaterThanOrEqual(1);
    const legend = await page.locator('[data-testid=order-volume] .legend').innerText();
    expect(legend).toContain('Shopee');
    expect(legend).toContain('Lazada');

    // A new order grows the current hour's bar without a reload.
    const before = platformIn(drawn.at(-1)!, 'LAZADA');
    await send(lazadaPush(`LZ-${randomUUID().slice(0, 8)}`, 'pending'));
    await page.waitForSelector(
      `[data-testid=order-volume] g.hour:last-of-type rect.bar[data-platform=LAZADA][data-orders="${before + 1}"]`,
    );

    const file = screenshotPath('dashboard-1400.png');
    await page.screenshot({ path: file, fullPage: true });
    process.stdout.write(`desktop screenshot: ${file}\n`);

    // In between, a tablet's width: still nothing past the edge.
    await page.setViewportSize({ width: 900, height: 1000 });
    await page.waitForFunction('document.documentElement.clientWidth === 900');
    const tablet = await measureLayout(page);
    expect(tablet.scrollWidth).toBeLessThanOrEqual(tablet.innerWidth);
    expect(tablet.outside).toEqual([]);
    await page.screenshot({ path: screenshotPath('dashboard-900.png'), fullPage: true });
  });

  it('at 390 px (a phone): nothing runs off the edge, wide tables scroll inside their panel', async () => {
    const page = await signIn(leader, PHONE);
    await page.waitForSelector('[data-testid=order-board] tr[data-platform=LAZADA]');
    await page.waitForSelector('[data-testid=order-volume] rect.bar');
    await page.waitForSelector(`[data-testid=channel-health] tr[data-channel-id="${channel.id}"]`);
    await page.waitForSelector('[data-testid=tickets-due-today] li');

    const layout = await measureLayout(page, ['[data-testid=order-feed] li .order-id']);
    expect(layout.innerWidth).toBe(390);
    // No sideways scrolling of the page, and nothing cut off at its edges.
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
    expect(layout.outside).toEqual([]);
    expect(layout.wrapped).toEqual([]);
    // The header fits: its title, viewer, state and buttons are all on screen.
    expect(layout.header.scrollWidth).toBeLessThanOrEqual(layout.header.clientWidth);
    expect(layout.header.right).toBeLessThanOrEqual(layout.innerWidth);
    for (const panel of layout.panels) {
      expect(panel.left).toBeGreaterThanOrEqual(0);
      expect(panel.right).toBeLessThanOrEqual(layout.innerWidth);
    }
    // The board is wider than a phone: it scrolls inside its panel, and says so.
    const boardScroller = layout.scrollers.find((s) => s.panel === 'order-board');
    expect(boardScroller).toBeDefined();
    expect(boardScroller!.scrollWidth).toBeGreaterThan(boardScroller!.clientWidth);
    expect(boardScroller!.right).toBeLessThanOrEqual(layout.innerWidth);
    expect(await page.locator('[data-testid=order-board] .scroll-hint').isVisible()).toBe(true);
    // Channel health becomes one card per channel, every figure with its label.
    const card = `[data-testid=channel-health] tr[data-channel-id="${channel.id}"]`;
    expect(await page.locator(card).innerText()).toContain('Lazada Shop HCM');
    const cardLabels = await page.evaluate<string[]>(
      `[...document.querySelectorAll('${card} td')].map((td) => getComputedStyle(td, '::before').content)`,
    );
    expect(cardLabels.join(' ')).toMatch(/Dead letters|Thư chết/);
    const cardBox = await page.locator(card).boundingBox();
    expect(cardBox!.x + cardBox!.width).toBeLessThanOrEqual(layout.innerWidth);

    const file = screenshotPath('dashboard-390.png');
    await page.screenshot({ path: file, fullPage: true });
    // And what the phone shows before any scrolling.
    await page.screenshot({ path: screenshotPath('dashboard-390-first-screen.png') });
    process.stdout.write(`phone screenshot: ${file}\n`);
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
