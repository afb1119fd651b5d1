import './style.css';
import { GraphQLRequestError, graphqlRequest } from '../shared/graphql-client';
import { drawOrderVolume, type OrderVolume } from './chart';
import { h } from './dom';
import { Labels, type Language, type TextKey } from './labels';
import { LiveConnection, type LiveState } from './live';
import {
  BOT_REPORT,
  CHANNEL_ALERT,
  CHANNELS,
  LOGIN,
  ME,
  ORDER_BOARD,
  ORDER_EVENTS,
  ORDER_VOLUME,
  RECENT_ORDER_EVENTS,
  TICKET_CHANGED,
  TICKETS,
} from './queries';
import { businessDay, businessDayBounds, formatTime } from './time';

type OrderEventItem = {
  id: string;
  cursor: string;
  platform: string;
  status: string;
  eventTime: string;
  receivedAt: string;
  order: { externalId: string; channel: { name: string } | null } | null;
};
type Viewer = { fullName: string; role: string };
type BoardCell = { platform: string; status: string; orders: number };
type TicketRow = {
  id: string;
  title: string;
  dueAt: string | null;
  status: string;
  assignee: { fullName: string } | null;
};
type TicketPage = { totalCount: number; edges: { node: TicketRow }[] };
type ChannelStatus = 'ACTIVE' | 'TOKEN_EXPIRED' | 'DISCONNECTED' | 'NEEDS_REAUTHORIZATION';
type ChannelHealth = {
  channel: { id: string; name: string; platform: string; status: ChannelStatus };
  tokenExpiresInDays: number | null;
  lastPushAt: string | null;
  pushesLastHour: number;
  failuresLastHour: number;
  deadLetters: number;
};
type BotReport = {
  total: { conversations: number; handedOff: number; handoffRate: number };
  botAnswers: { step: string | null; answers: number }[];
};

const TOKEN_KEY = 'crm.dashboard.token';
const LANGUAGE_KEY = 'crm.dashboard.language';
const FEED_LENGTH = 30;
const OPEN_TICKET_STATUSES = ['NEW', 'ASSIGNED'];

const root = document.getElementById('app');
if (!root) throw new Error('missing #app');
const app: HTMLElement = root;

function initialLanguage(): Language {
  const saved = localStorage.getItem(LANGUAGE_KEY);
  if (saved === 'vi' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('vi') ? 'vi' : 'en';
}

/**
 * Runs `run` at once when idle, then at most once per `ms`: the first push
 * shows immediately, a burst of a thousand costs a read per period.
 */
function throttled(ms: number, run: () => void): () => void {
  let blockedUntil = 0;
  let trailing: ReturnType<typeof setTimeout> | undefined;
  return () => {
    const now = Date.now();
    if (now >= blockedUntil) {
      blockedUntil = now + ms;
      run();
      return;
    }
    trailing ??= setTimeout(() => {
      trailing = undefined;
      blockedUntil = Date.now() + ms;
      run();
    }, blockedUntil - now);
  };
}

/** A panel reads its data again on demand and says so when the viewer's role may not see it. */
class Panel<T> {
  readonly body = h('div', { class: 'panel-body' });
  readonly element: HTMLElement;
  private data: T | null = null;
  private problem: TextKey | null = null;
  private reads = 0;

  constructor(
    private readonly labels: Labels,
    private readonly titleKey: TextKey,
    testId: string,
    private readonly load: () => Promise<T>,
    private readonly draw: (data: T, body: HTMLElement) => void,
  ) {
    this.element = h('section', { class: 'panel', 'data-testid': testId });
  }

  async refresh(): Promise<void> {
    // Reads may overlap; only the latest one started may draw.
    const read = (this.reads += 1);
    try {
      const data = await this.load();
      if (read !== this.reads) return;
      this.data = data;
      this.problem = null;
    } catch (error) {
      if (read !== this.reads) return;
      this.problem =
        error instanceof GraphQLRequestError && error.code === 'FORBIDDEN'
          ? 'notForRole'
          : 'failed';
      if (this.problem === 'failed') console.error(error);
    }
    this.render();
  }

  render(): void {
    this.element.replaceChildren(h('h2', {}, this.labels.text(this.titleKey)), this.body);
    this.body.replaceChildren();
    if (this.problem) {
      this.body.append(h('p', { class: 'muted' }, this.labels.text(this.problem)));
    } else if (this.data !== null) {
      this.draw(this.data, this.body);
    }
    markOverflowing(this.element);
  }
}

/** A wide table's hint shows only while the table is wider than its panel. */
function markOverflowing(root: Element): void {
  for (const scroller of root.querySelectorAll('.table-scroll')) {
    scroller.parentElement?.classList.toggle(
      'overflowing',
      scroller.scrollWidth > scroller.clientWidth,
    );
  }
}

async function main(): Promise<void> {
  const labels = await Labels.load(initialLanguage());
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) {
    try {
      const { me } = await graphqlRequest<{ me: Viewer }>(ME, {}, token);
      showDashboard(labels, token, me);
      return;
    } catch {
      sessionStorage.removeItem(TOKEN_KEY);
    }
  }
  showLogin(labels);
}

function showLogin(labels: Labels, message = ''): void {
  const email = h('input', {
    type: 'email',
    name: 'email',
    autocomplete: 'username',
    required: '',
  });
  const password = h('input', {
    type: 'password',
    name: 'password',
    autocomplete: 'current-password',
    required: '',
  });
  const error = h('p', { class: 'error', role: 'alert' }, message);
  const form = h(
    'form',
    { class: 'login', 'data-testid': 'login' },
    h('h1', {}, labels.text('title')),
    h('label', {}, labels.text('email'), email),
    h('label', {}, labels.text('password'), password),
    h('button', { type: 'submit' }, labels.text('signIn')),
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    graphqlRequest<{ login: { token: string; user: Viewer } }>(LOGIN, {
      email: email.value,
      password: password.value,
    })
      .then(({ login }) => {
        sessionStorage.setItem(TOKEN_KEY, login.token);
        showDashboard(labels, login.token, login.user);
      })
      .catch((failure: unknown) => {
        error.textContent = failure instanceof Error ? failure.message : String(failure);
      });
  });
  app.replaceChildren(form);
}

function showDashboard(labels: Labels, token: string, user: Viewer): void {
  const timers: ReturnType<typeof setInterval>[] = [];
  let ended = false;
  /** Back to the sign-in form, with everything this page started stopped. */
  const end = (message = '') => {
    if (ended) return;
    ended = true;
    live.stop();
    resizes.disconnect();
    for (const timer of timers) clearInterval(timer);
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin(labels, message);
  };
  const query = async <T>(text: string, variables: Record<string, unknown> = {}) => {
    try {
      return await graphqlRequest<T>(text, variables, token);
    } catch (error) {
      // The session expired or the user was deactivated: sign in again.
      if (error instanceof GraphQLRequestError && error.code === 'UNAUTHENTICATED') {
        end(error.message);
      }
      throw error;
    }
  };

  const feed: OrderEventItem[] = [];
  let lastCursor: string | null = null;

  const board = new Panel(
    labels,
    'ordersBoard',
    'order-board',
    async () => (await query<{ orderStatusBoard: BoardCell[] }>(ORDER_BOARD)).orderStatusBoard,
    (cells, body) => body.append(drawBoard(labels, cells)),
  );
  const feedPanel = new Panel(
    labels,
    'orderFeed',
    'order-feed',
    async () => feed,
    (events, body) => body.append(drawFeed(labels, events)),
  );
  const volume = new Panel(
    labels,
    'orderVolume',
    'order-volume',
    async () => (await query<{ orderVolume: OrderVolume }>(ORDER_VOLUME)).orderVolume,
    (data, body) => body.append(drawOrderVolume(labels, data, body.clientWidth)),
  );
  const tickets = new Panel(
    labels,
    'tickets',
    'tickets',
    () => {
      const today = businessDayBounds(new Date());
      const open = { statuses: OPEN_TICKET_STATUSES };
      return query<{ dueToday: TicketPage; missed: TicketPage }>(TICKETS, {
        dueToday: { ...open, dueFrom: today.start.toISOString(), dueTo: today.end.toISOString() },
        missed: { ...open, missed: true },
      });
    },
    (pages, body) => body.append(...drawTickets(labels, pages)),
  );
  const channels = new Panel(
    labels,
    'channelHealth',
    'channel-health',
    async () => (await query<{ channels: ChannelHealth[] }>(CHANNELS)).channels,
    (rows, body) => body.append(drawChannels(labels, rows)),
  );
  const bot = new Panel(
    labels,
    'botFallback',
    'bot-fallback',
    async () => {
      const today = new Date();
      const weekAgo = new Date(today.getTime() - 6 * 86_400_000);
      const report = await query<{ conversationReport: BotReport }>(BOT_REPORT, {
        from: businessDay(weekAgo),
        to: businessDay(today),
      });
      return report.conversationReport;
    },
    (report, body) => body.append(...drawBot(labels, report)),
  );
  // Also the order a phone shows them in, one below the other.
  const panels = [board, volume, feedPanel, tickets, bot, channels];

  const status = h('span', { class: 'live-state', 'data-testid': 'live-state' });
  const showState = (state: LiveState) => {
    if (state === 'signed-out') {
      end();
      return;
    }
    status.dataset.state = state;
    status.textContent = labels.text(state === 'live' ? 'live' : state);
  };
  showState('connecting');

  const languageButton = h('button', { type: 'button', class: 'link' });
  const signOut = h('button', { type: 'button', class: 'link' });
  const renderChrome = () => {
    languageButton.textContent = labels.language === 'vi' ? 'English' : 'Tiếng Việt';
    signOut.textContent = labels.text('signOut');
    heading.textContent = labels.text('title');
    who.textContent = `${user.fullName} · ${labels.role(user.role)}`;
  };
  const heading = h('h1', {});
  const who = h('span', { class: 'who', 'data-testid': 'viewer' });
  const live = new LiveConnection(token, showState);
  languageButton.addEventListener('click', () => {
    labels.language = labels.language === 'vi' ? 'en' : 'vi';
    localStorage.setItem(LANGUAGE_KEY, labels.language);
    renderChrome();
    for (const panel of panels) panel.render();
  });
  signOut.addEventListener('click', () => end());
  renderChrome();

  app.replaceChildren(
    h('header', {}, heading, status, h('div', { class: 'tools' }, who, languageButton, signOut)),
    h('main', { class: 'grid' }, ...panels.map((panel) => panel.element)),
  );

  const refreshBoard = throttled(500, () => void board.refresh());
  const refreshTickets = throttled(500, () => void tickets.refresh());
  const refreshChannels = throttled(2_000, () => void channels.refresh());
  const refreshVolume = throttled(2_000, () => void volume.refresh());
  // A turned phone or a resized window: the chart is drawn again at its panel's
  // width, and each wide table says again whether it scrolls.
  let chartWidth = 0;
  const resizes = new ResizeObserver((entries) => {
    // Next frame: drawing inside the observer's callback would resize what it observes.
    requestAnimationFrame(() => {
      for (const entry of entries) markOverflowing(entry.target);
      if (volume.body.clientWidth === chartWidth) return;
      chartWidth = volume.body.clientWidth;
      volume.render();
    });
  });
  for (const panel of panels) resizes.observe(panel.element);
  const addEvent = (event: OrderEventItem) => {
    lastCursor = event.cursor;
    if (feed.some((known) => known.id === event.id)) return;
    feed.unshift(event);
    feed.length = Math.min(feed.length, FEED_LENGTH);
    feedPanel.render();
  };

  void (async () => {
    // The feed's newest event is where the live stream resumes: nothing falls between.
    try {
      const recent = await query<{ recentOrderEvents: OrderEventItem[] }>(RECENT_ORDER_EVENTS, {
        first: FEED_LENGTH,
      });
      feed.push(...recent.recentOrderEvents);
      lastCursor = recent.recentOrderEvents[0]?.cursor ?? null;
      await feedPanel.refresh();
      live.subscribe<{ orderEvents: OrderEventItem }>({
        query: ORDER_EVENTS,
        variables: () => ({ after: lastCursor }),
        onData: ({ orderEvents }) => {
          addEvent(orderEvents);
          refreshBoard();
          refreshChannels();
          refreshVolume();
        },
        onResubscribed: () => {
          refreshBoard();
          refreshVolume();
        },
      });
    } catch (error) {
      await feedPanel.refresh();
      if (!(error instanceof GraphQLRequestError && error.code === 'FORBIDDEN')) throw error;
    }
  })();
  void board.refresh();
  void volume.refresh();
  void tickets.refresh();
  void channels.refresh();
  void bot.refresh();
  live.subscribe({
    query: TICKET_CHANGED,
    variables: () => ({}),
    onData: refreshTickets,
    onResubscribed: refreshTickets,
  });
  live.subscribe({ query: CHANNEL_ALERT, variables: () => ({}), onData: refreshChannels });
  // Counters per hour and the bot's figures move slowly; a periodic read keeps them honest.
  timers.push(
    setInterval(() => void channels.refresh(), 30_000),
    setInterval(() => void bot.refresh(), 60_000),
    // The window moves on with the clock even when no order comes.
    setInterval(() => void volume.refresh(), 60_000),
  );
}

function drawBoard(labels: Labels, cells: BoardCell[]): HTMLElement {
  const statuses = labels.orderStatusCodes();
  const platforms = [
    ...new Set([...labels.marketplaceCodes(), ...cells.map((cell) => cell.platform)]),
  ];
  const count = (platform: string, status: string) =>
    cells.find((cell) => cell.platform === platform && cell.status === status)?.orders ?? 0;
  const table = h('table', { class: 'board' });
  table.append(
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, labels.text('platform')),
        ...statuses.map((status) => h('th', { title: status }, labels.orderStatus(status))),
        h('th', {}, labels.text('total')),
      ),
    ),
  );
  const body = h('tbody', {});
  for (const platform of platforms) {
    const counts = statuses.map((status) => count(platform, status));
    body.append(
      h(
        'tr',
        { 'data-platform': platform },
        h('th', {}, labels.platform(platform)),
        ...statuses.map((status, index) =>
          h(
            'td',
            { 'data-status': status, class: counts[index] ? '' : 'zero' },
            String(counts[index] ?? 0),
          ),
        ),
        h('td', { 'data-status': 'TOTAL' }, String(counts.reduce((a, b) => a + b, 0))),
      ),
    );
  }
  table.append(body);
  return scrollable(labels, table);
}

/**
 * A table wider than its panel scrolls inside it (a phone shows the board's
 * first columns), with a shadow at the edge that hides more and a hint.
 */
function scrollable(labels: Labels, table: HTMLTableElement): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h('div', { class: 'table-scroll', tabindex: '0' }, table),
    h('p', { class: 'scroll-hint muted' }, labels.text('scrollHint')),
  );
}

/**
 * Newest first by the platform's time of the change, the time shown: the
 * log's order (a late or retried push comes in after newer ones) breaks ties
 * only, as the sort is stable.
 */
function drawFeed(labels: Labels, events: OrderEventItem[]): HTMLElement {
  if (events.length === 0) return h('p', { class: 'muted' }, labels.text('noEvents'));
  const newestFirst = [...events].sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime));
  return h(
    'div',
    { class: 'list-scroll' },
    h(
      'ol',
      { class: 'feed' },
      ...newestFirst.map((event) =>
        h(
          'li',
          { 'data-event-id': event.id, 'data-order': event.order?.externalId ?? '' },
          h(
            'time',
            {
              datetime: event.eventTime,
              title: `${labels.text('receivedAt')}: ${formatTime(event.receivedAt)}`,
            },
            formatTime(event.eventTime),
          ),
          h('span', { class: 'platform' }, labels.platform(event.platform)),
          h('strong', { class: 'order-id' }, event.order?.externalId ?? '—'),
          h('span', { class: 'status' }, labels.orderStatus(event.status)),
          h('span', { class: 'channel muted' }, event.order?.channel?.name ?? ''),
        ),
      ),
    ),
  );
}

function drawTickets(
  labels: Labels,
  pages: { dueToday: TicketPage; missed: TicketPage },
): HTMLElement[] {
  const list = (key: TextKey, page: TicketPage, testId: string) =>
    h(
      'div',
      { 'data-testid': testId },
      h('h3', {}, `${labels.text(key)}: `, h('span', { class: 'count' }, String(page.totalCount))),
      page.edges.length === 0
        ? h('p', { class: 'muted' }, labels.text('noTickets'))
        : h(
            'ul',
            { class: 'ticket-list' },
            ...page.edges.map(({ node }) =>
              h(
                'li',
                { 'data-ticket-id': node.id },
                h('span', { class: 'title' }, node.title),
                node.dueAt
                  ? h('time', { class: 'muted', datetime: node.dueAt }, formatTime(node.dueAt))
                  : h('span', { class: 'muted' }, ''),
                h('span', { class: 'assignee muted' }, node.assignee?.fullName ?? ''),
              ),
            ),
          ),
    );
  return [
    list('ticketsDueToday', pages.dueToday, 'tickets-due-today'),
    list('ticketsMissed', pages.missed, 'tickets-missed'),
  ];
}

const CHANNEL_COLUMNS = [
  'channel',
  'platform',
  'channelStatus',
  'tokenExpiry',
  'lastPush',
  'pushesLastHour',
  'failuresLastHour',
  'deadLetters',
] as const;

/** On a phone each channel becomes a card of label: value lines (style.css), each cell naming its column. */
function drawChannels(labels: Labels, rows: ChannelHealth[]): HTMLElement {
  const cell = (column: (typeof CHANNEL_COLUMNS)[number], value: string, warn = false) =>
    h('td', { 'data-label': labels.text(column), class: warn ? 'warn' : '' }, value);
  const table = h(
    'table',
    { class: 'channels' },
    h('thead', {}, h('tr', {}, ...CHANNEL_COLUMNS.map((key) => h('th', {}, labels.text(key))))),
    h(
      'tbody',
      {},
      ...rows.map((row) =>
        h(
          'tr',
          { 'data-channel-id': row.channel.id },
          cell('channel', row.channel.name),
          cell('platform', labels.platform(row.channel.platform)),
          // A paused channel is the operator's choice; any other state but ACTIVE needs someone.
          cell(
            'channelStatus',
            labels.text(row.channel.status),
            row.channel.status !== 'ACTIVE' && row.channel.status !== 'DISCONNECTED',
          ),
          cell(
            'tokenExpiry',
            row.tokenExpiresInDays === null ? '—' : String(row.tokenExpiresInDays),
            row.tokenExpiresInDays !== null && row.tokenExpiresInDays <= 7,
          ),
          cell('lastPush', row.lastPushAt ? formatTime(row.lastPushAt) : labels.text('never')),
          cell('pushesLastHour', String(row.pushesLastHour)),
          cell('failuresLastHour', String(row.failuresLastHour), row.failuresLastHour > 0),
          cell('deadLetters', String(row.deadLetters), row.deadLetters > 0),
        ),
      ),
    ),
  );
  return scrollable(labels, table);
}

function drawBot(labels: Labels, report: BotReport): HTMLElement[] {
  const answers = report.botAnswers.reduce((sum, row) => sum + row.answers, 0);
  // Anything answered further down the chain than its first step is a fallback.
  const [firstStep] = labels.botStepCodes();
  const fallbacks = report.botAnswers
    .filter((row) => row.step !== null && row.step !== firstStep)
    .reduce((sum, row) => sum + row.answers, 0);
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  return [
    h(
      'p',
      { class: 'figure', 'data-testid': 'bot-fallback-rate' },
      answers ? percent(fallbacks / answers) : '—',
    ),
    h('p', { class: 'muted' }, `${answers} ${labels.text('botAnswers')}`),
    h(
      'ul',
      { class: 'bot-steps' },
      ...report.botAnswers.map((row) =>
        h(
          'li',
          { 'data-step': row.step ?? '' },
          h('span', {}, row.step ? labels.botStep(row.step) : labels.text('botStepUnknown')),
          h('span', { class: 'answers' }, String(row.answers)),
        ),
      ),
    ),
    h('p', {}, `${labels.text('handoffRate')}: ${percent(report.total.handoffRate)}`),
  ];
}

void main();
