import WebSocket from 'ws';

/**
 * The subscriber side of bench:fanout, in a process of its own: sockets
 * speaking the graphql-transport-ws protocol (connection_init, subscribe,
 * next) written against `ws` directly, so the client's own cost per message
 * is one JSON.parse and the server, not the load, is what gets measured.
 */
export type FanOutSocket = {
  params: Record<string, string>;
  subscriptions: number;
  /** A slow consumer: stops reading when the measure starts (until `resume`). */
  pause?: boolean;
};

export type FanOutLoadCommand =
  | {
      kind: 'start';
      url: string;
      query: string;
      sockets: FanOutSocket[];
      /** Sockets opened at once while connecting. */
      connectConcurrency: number;
    }
  | { kind: 'status' }
  /**
   * From now on, count orders named `${prefix}-<index>-<sent epoch ms>`; at most `events` of
   * them. The sockets marked `pause` stop reading now.
   */
  | { kind: 'measure'; prefix: string; events: number }
  /** The paused sockets read again (and so see the close the server sent them). */
  | { kind: 'resume' }
  | { kind: 'report' };

export type FanOutLoadStatus = {
  kind: 'status';
  sockets: number;
  subscriptions: number;
  /** Subscriptions that received at least one event. */
  warm: number;
  refused: number;
  /** Measured deliveries so far. */
  delivered: number;
};

export type FanOutLoadReport = {
  kind: 'report';
  subscriptions: number;
  /** Of those, on sockets that kept reading. */
  fastSubscriptions: number;
  delivered: number;
  /** Of those, to subscriptions on sockets that kept reading. */
  fastDelivered: number;
  duplicates: number;
  /** Per measured order index, how many subscriptions on sockets that kept reading received it. */
  perEvent: number[];
  /** Push-to-delivery latency histogram of the sockets that kept reading: whole ms -> deliveries. */
  latencyMs: Record<number, number>;
  /** Bytes of the measured messages received (as sent, framing excluded). */
  bytes: number;
  /** Sockets that stopped reading. */
  paused: number;
  firstAt: number;
  lastAt: number;
  /** Close codes the server sent, with how many sockets got each. */
  closes: Record<number, number>;
  cpuMs: number;
};

const now = () => performance.timeOrigin + performance.now();

function run(): void {
  let subscriptions = 0;
  let slowSubscriptions = 0;
  let warmed: Uint8Array = new Uint8Array(0);
  /** 1 for the subscriptions of sockets that stop reading. */
  let slow: Uint8Array = new Uint8Array(0);
  const pausable: WebSocket[] = [];
  let paused = 0;
  let warm = 0;
  let openSockets = 0;
  let refused = 0;
  const closes: Record<number, number> = {};
  let measuring: { prefix: string; seen: Uint8Array; events: number } | null = null;
  let perEvent: number[] = [];
  let delivered = 0;
  let fastDelivered = 0;
  let bytes = 0;
  let duplicates = 0;
  let firstAt = 0;
  let lastAt = 0;
  const latencyMs: Record<number, number> = {};
  let cpuBefore = process.cpuUsage();

  const onNext = (subscription: number, externalId: string, size: number) => {
    if (warmed[subscription] === 0) {
      warmed[subscription] = 1;
      warm += 1;
    }
    const measured = measuring;
    if (!measured || !externalId.startsWith(measured.prefix)) return;
    const [, index, sent] = externalId.slice(measured.prefix.length).split('-');
    const event = Number(index);
    if (!(event >= 0 && event < measured.events)) return;
    const at = now();
    const slot = subscription * measured.events + event;
    if (measured.seen[slot] === 1) {
      duplicates += 1;
      return;
    }
    measured.seen[slot] = 1;
    delivered += 1;
    bytes += size;
    if (slow[subscription] === 1) return;
    perEvent[event] = (perEvent[event] ?? 0) + 1;
    fastDelivered += 1;
    if (firstAt === 0) firstAt = at;
    lastAt = at;
    const latency = Math.max(0, Math.floor(at - Number(sent)));
    latencyMs[latency] = (latencyMs[latency] ?? 0) + 1;
  };

  const open = (url: string, query: string, socket: FanOutSocket, first: number) =>
    new Promise<void>((resolve) => {
      const ws = new WebSocket(url, 'graphql-transport-ws');
      let settled = false;
      const settle = () => {
        if (!settled) resolve();
        settled = true;
      };
      ws.on('open', () => {
        ws.send(JSON.stringify({ type: 'connection_init', payload: socket.params }));
      });
      ws.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as {
          type: string;
          id?: string;
          payload?: { data?: { orderEvents?: { order?: { externalId?: string } } } };
        };
        if (message.type === 'next') {
          const externalId = message.payload?.data?.orderEvents?.order?.externalId;
          if (externalId) onNext(first + Number(message.id), externalId, data.length);
        } else if (message.type === 'connection_ack') {
          openSockets += 1;
          if (socket.pause) pausable.push(ws);
          for (let id = 0; id < socket.subscriptions; id += 1) {
            ws.send(JSON.stringify({ id: String(id), type: 'subscribe', payload: { query } }));
          }
          settle();
        } else if (message.type === 'error') refused += 1;
        else if (message.type === 'ping') ws.send('{"type":"pong"}');
      });
      ws.on('close', (code) => {
        closes[code] = (closes[code] ?? 0) + 1;
        settle();
      });
      ws.on('error', () => settle());
    });

  process.on('message', (command: FanOutLoadCommand) => {
    switch (command.kind) {
      case 'start': {
        subscriptions = command.sockets.reduce((n, s) => n + s.subscriptions, 0);
        warmed = new Uint8Array(subscriptions);
        slow = new Uint8Array(subscriptions);
        let offset = 0;
        for (const socket of command.sockets) {
          if (socket.pause) {
            slow.fill(1, offset, offset + socket.subscriptions);
            slowSubscriptions += socket.subscriptions;
          }
          offset += socket.subscriptions;
        }
        void (async () => {
          let next = 0;
          let first = 0;
          const starts = command.sockets.map((socket) => {
            const at = first;
            first += socket.subscriptions;
            return at;
          });
          const worker = async () => {
            while (next < command.sockets.length) {
              const index = (next += 1) - 1;
              await open(command.url, command.query, command.sockets[index]!, starts[index]!);
            }
          };
          await Promise.all(Array.from({ length: command.connectConcurrency }, worker));
        })();
        return;
      }
      case 'status':
        process.send?.({
          kind: 'status',
          sockets: openSockets,
          subscriptions,
          warm,
          refused,
          delivered,
        } satisfies FanOutLoadStatus);
        return;
      case 'measure':
        measuring = {
          prefix: command.prefix,
          seen: new Uint8Array(subscriptions * command.events),
          events: command.events,
        };
        perEvent = new Array<number>(command.events).fill(0);
        cpuBefore = process.cpuUsage();
        for (const ws of pausable) ws.pause();
        paused = pausable.length;
        return;
      case 'resume':
        for (const ws of pausable) ws.resume();
        return;
      case 'report': {
        const cpu = process.cpuUsage(cpuBefore);
        process.send?.(
          {
            kind: 'report',
            subscriptions,
            fastSubscriptions: subscriptions - slowSubscriptions,
            delivered,
            fastDelivered,
            duplicates,
            perEvent,
            latencyMs,
            bytes,
            paused,
            firstAt,
            lastAt,
            closes,
            cpuMs: (cpu.user + cpu.system) / 1000,
          } satisfies FanOutLoadReport,
          undefined,
          {},
          () => process.exit(0),
        );
        return;
      }
    }
  });
}

run();
