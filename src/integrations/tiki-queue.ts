/**
 * Tiki's Event Queue client (platforms.md 4.1): Tiki pushes nothing, the app
 * pulls events from its own queue with an OAuth2 client-credentials token
 * and acknowledges them. The pull/ack paths and fields are unverified, so
 * they live in one table to correct once a real response is seen.
 */
import { isObject } from './payload';

export const TIKI_QUEUE_API = {
  token: '/sc/oauth2/token',
  queues: '/integration/v1/queues',
  pull: (code: string) => `/integration/v1/queues/${encodeURIComponent(code)}/events/pull`,
  ack: (code: string) => `/integration/v1/queues/${encodeURIComponent(code)}/events/ack`,
  /** The queue this API creates when none is configured (TIKI_QUEUE_CODE). */
  queueName: 'crm-order-events',
} as const;

export const TIKI_DEFAULT_BASE_URL = 'https://api.tiki.vn';

export type TikiPull = { ackId: string | null; events: unknown[] };

/** Tiki answered, but not with what we asked for: retrying the same call will not help. */
export class TikiQueueError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'TikiQueueError';
  }
}

export class TikiQueueClient {
  private token: { value: string; expiresAt: number } | null = null;
  private queueCode: string | null;

  constructor(
    private readonly options: {
      baseUrl: string;
      clientId: string;
      clientSecret: string;
      queueCode?: string;
      timeoutMs?: number;
    },
  ) {
    this.queueCode = options.queueCode ?? null;
  }

  async pull(): Promise<TikiPull> {
    const code = await this.queue();
    const body = await this.call('POST', TIKI_QUEUE_API.pull(code), {});
    const events = isObject(body) ? (body.events ?? body.data) : undefined;
    if (!Array.isArray(events)) throw new TikiQueueError('the pull response has no events list');
    const ackId = isObject(body) ? (body.ack_id ?? body.ackId) : undefined;
    return { ackId: typeof ackId === 'string' && ackId !== '' ? ackId : null, events };
  }

  async ack(ackId: string): Promise<void> {
    await this.call('POST', TIKI_QUEUE_API.ack(await this.queue()), { ack_id: ackId });
  }

  /** The configured queue, else the one this API created earlier, else a new one. */
  private async queue(): Promise<string> {
    if (this.queueCode) return this.queueCode;
    const listed = await this.call('GET', TIKI_QUEUE_API.queues);
    const queues: unknown[] = isObject(listed) && Array.isArray(listed.data) ? listed.data : [];
    const ours = queues.find((q) => isObject(q) && q.name === TIKI_QUEUE_API.queueName);
    const found = isObject(ours) && typeof ours.code === 'string' ? ours.code : null;
    if (found) return (this.queueCode = found);
    const created = await this.call('POST', TIKI_QUEUE_API.queues, {
      name: TIKI_QUEUE_API.queueName,
    });
    if (!isObject(created) || typeof created.code !== 'string') {
      throw new TikiQueueError('creating the event queue returned no code');
    }
    return (this.queueCode = created.code);
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now()) return this.token.value;
    const basic = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString(
      'base64',
    );
    const response = await fetch(new URL(TIKI_QUEUE_API.token, this.options.baseUrl), {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok || !isObject(body) || typeof body.access_token !== 'string') {
      throw new TikiQueueError(
        `Tiki refused the client credentials (${response.status})`,
        response.status,
      );
    }
    const lifetime = typeof body.expires_in === 'number' ? body.expires_in : 3_600;
    // Renew a minute early so a token never expires between check and use.
    this.token = { value: body.access_token, expiresAt: Date.now() + (lifetime - 60) * 1000 };
    return this.token.value;
  }

  private async call(method: 'GET' | 'POST', path: string, json?: unknown): Promise<unknown> {
    const token = await this.accessToken();
    const response = await fetch(new URL(path, this.options.baseUrl), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: json === undefined ? undefined : JSON.stringify(json),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    if (response.status === 401) this.token = null;
    if (!response.ok)
      throw new TikiQueueError(`${method} ${path}: HTTP ${response.status}`, response.status);
    return response.status === 204 ? null : response.json();
  }
}
