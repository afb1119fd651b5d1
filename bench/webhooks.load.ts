import http from 'node:http';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { shopeePusher } from './shopee-push';

/** The client side of bench:webhooks, in its own process: signed senders and one subscriber. */
export type LoadSettings = {
  port: number;
  shop: string;
  partnerKey: string;
  pushUrl: string;
  durationMs: number;
  /** Load sent first and not counted. */
  warmUpMs: number;
  concurrency: number;
  token: string;
  subscription: 'orderEvents' | 'orderChanged';
  /**
   * Pushes per second to offer, whatever the answers' pace (0: as fast as the
   * senders get answers). Latencies then count from when each push was due,
   * so a stalled server is not hidden by senders that waited for it.
   */
  rate: number;
};

/** What the load process tells the bench: the measured part begins, then its figures. */
export type LoadMessage = { kind: 'measuring' } | { kind: 'report'; report: LoadReport };

export type LoadReport = {
  accepted: number;
  failed: number;
  seconds: number;
  acks: number[];
  delivered: number[];
  /** CPU the senders and the subscriber used while measured. */
  cpuMs: number;
};

async function run(settings: LoadSettings): Promise<LoadReport> {
  const sentAt = new Map<string, number>();
  const delivered: number[] = [];
  let subscribed = false;
  const client = createClient({
    url: `ws://127.0.0.1:${settings.port}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${settings.token}` },
    on: { connected: () => undefined },
  });
  const field = settings.subscription;
  const query =
    field === 'orderEvents'
      ? 'subscription { orderEvents { order { externalId } } }'
      : 'subscription { orderChanged { externalId } }';
  client.subscribe(
    { query },
    {
      next: (value) => {
        const data = value.data?.[field] as
          { externalId?: string; order?: { externalId: string } } | undefined;
        const id = data?.order?.externalId ?? data?.externalId;
        if (id === 'warm-up') subscribed = true;
        const sent = id ? sentAt.get(id) : undefined;
        if (sent !== undefined) delivered.push(performance.now() - sent);
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );

  const agent = new http.Agent({ keepAlive: true, maxSockets: settings.concurrency });
  const post = shopeePusher(settings, agent);

  // Until the subscriber has seen a push, the measured stream would start late.
  for (let i = 0; !subscribed && i < 200; i += 1) {
    await post('warm-up', i % 2 === 0 ? 'UNPAID' : 'READY_TO_SHIP');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const acks: number[] = [];
  let accepted = 0;
  let failed = 0;
  let sequence = 0;
  /** One stretch of load; only a measured one is counted (a warm-up's orders are named apart). */
  const phase = async (durationMs: number, measured: boolean) => {
    const started = performance.now();
    const deadline = started + durationMs;
    const send = async (due: number) => {
      const order = `${measured ? 'B' : 'W'}${(sequence += 1)}`;
      if (measured) sentAt.set(order, due);
      const status = await post(order, 'READY_TO_SHIP');
      if (!measured) return;
      acks.push(performance.now() - due);
      if (status === 200) accepted += 1;
      else failed += 1;
    };
    const sender = async () => {
      while (performance.now() < deadline) await send(performance.now());
    };
    /** At most `concurrency` pushes in flight; the others wait their turn, their clock running. */
    const paced = async () => {
      const interval = 1000 / settings.rate;
      const waiting: number[] = [];
      let inFlight = 0;
      let scheduled = 0;
      let drained: () => void = () => undefined;
      const next = () => {
        while (inFlight < settings.concurrency && waiting.length > 0) {
          inFlight += 1;
          void send(waiting.shift()!).finally(() => {
            inFlight -= 1;
            next();
            if (inFlight === 0 && waiting.length === 0) drained();
          });
        }
      };
      while (performance.now() < deadline) {
        const now = performance.now();
        for (
          let due = started + scheduled * interval;
          due <= now;
          due = started + scheduled * interval
        ) {
          waiting.push(due);
          scheduled += 1;
        }
        next();
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      if (inFlight > 0 || waiting.length > 0)
        await new Promise<void>((resolve) => (drained = resolve));
    };
    if (settings.rate > 0) await paced();
    else await Promise.all(Array.from({ length: settings.concurrency }, sender));
    return (performance.now() - started) / 1000;
  };
  // Compiled code, open sockets and a full connection pool first: a cold
  // start's first seconds say nothing of the rate the server sustains.
  await phase(settings.warmUpMs, false);
  process.send?.({ kind: 'measuring' } satisfies LoadMessage);
  const cpuBefore = process.cpuUsage();
  const seconds = await phase(settings.durationMs, true);
  const cpu = process.cpuUsage(cpuBefore);
  // Let the applies still queued finish, then count.
  for (let last = -1; delivered.length !== last;) {
    last = delivered.length;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  agent.destroy();
  await client.dispose();
  return { accepted, failed, seconds, acks, delivered, cpuMs: (cpu.user + cpu.system) / 1000 };
}

void run(JSON.parse(process.argv[2] ?? '{}') as LoadSettings).then((report) =>
  // Exiting before a large message is flushed would lose it: leave only once it is sent.
  process.send?.({ kind: 'report', report } satisfies LoadMessage, undefined, {}, () =>
    process.disconnect(),
  ),
);
