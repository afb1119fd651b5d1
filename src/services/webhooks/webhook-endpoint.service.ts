import { ApiKey, WebhookEndpoint } from '../../entities';
import { ApiKeyScope } from '../../entities/api-key.entity';
import { type OrderStatus, WebhookEndpointStatus } from '../../entities/enums';
import { assertId, badInput, notFound } from '../../kernel/errors';
import type { RequestScope } from '../../kernel/request-scope';
import { TOPICS, type PartnerWebhooksDueEvent } from '../../kernel/topics';
import type { EventBus } from '../../realtime/event-bus';
import { orderEventLog } from '../orders/order-event-log';
import { audit } from '../shared/audit';
import { newWebhookSecret } from './webhook-signature';
import { checkWebhookUrl, type WebhookUrlPolicy } from './webhook-url';

export type WebhookEndpointDeps = { policy: WebhookUrlPolicy; bus: EventBus };

export type CreateWebhookEndpointInput = {
  apiKeyId: string;
  url: string;
  events: OrderStatus[];
};

export type UpdateWebhookEndpointInput = {
  url?: string | null;
  events?: OrderStatus[] | null;
  /** true: active again (clears UNHEALTHY, sends what waited); false: DISABLED. */
  enabled?: boolean | null;
};

/** The endpoint and its signing secret: the only time the secret is shown. */
export type WebhookEndpointWithSecret = { endpoint: WebhookEndpoint; secret: string };

export const DEFAULT_ROTATION_GRACE_HOURS = 24;
const MAX_ROTATION_GRACE_HOURS = 7 * 24;
const MAX_ENDPOINTS_PER_KEY = 10;

function cleanEvents(events: readonly OrderStatus[] | null | undefined): OrderStatus[] {
  const unique = [...new Set(events ?? [])];
  if (unique.length === 0) throw badInput('events: name at least one order status', 'events');
  return unique;
}

/** Tells the process that runs the jobs that an endpoint has deliveries to send now. */
function wake(bus: EventBus, endpointId: string): void {
  void bus.publish(TOPICS.partnerWebhooksDue, { endpointId } satisfies PartnerWebhooksDueEvent);
}

async function findEndpoint(scope: RequestScope, id: string): Promise<WebhookEndpoint> {
  const endpointId = assertId(id);
  const endpoint = await scope.em.findOne(WebhookEndpoint, endpointId);
  if (!endpoint) throw notFound('WebhookEndpoint', endpointId);
  return endpoint;
}

/** Partner webhook endpoints: one API key may have several; each gets the events its key may read. */
export const webhookEndpointService = {
  list({ em }: RequestScope, apiKeyId?: string | null): Promise<WebhookEndpoint[]> {
    const where = apiKeyId ? { apiKey: assertId(apiKeyId, 'apiKeyId') } : {};
    return em.find(WebhookEndpoint, where, { orderBy: { createdAt: 'asc', id: 'asc' } });
  },

  async create(
    scope: RequestScope,
    deps: WebhookEndpointDeps,
    input: CreateWebhookEndpointInput,
  ): Promise<WebhookEndpointWithSecret> {
    const { em, viewer } = scope;
    const apiKeyId = assertId(input.apiKeyId, 'apiKeyId');
    const events = cleanEvents(input.events);
    const url = await checkWebhookUrl(input.url, deps.policy);
    const key = await em.findOne(ApiKey, apiKeyId);
    if (!key) throw notFound('ApiKey', apiKeyId);
    if (key.revokedAt) throw badInput('apiKeyId: the key is revoked', 'apiKeyId');
    if (!key.scopes.includes(ApiKeyScope.ORDERS_READ)) {
      throw badInput('apiKeyId: the key may not read orders (scope ORDERS_READ)', 'apiKeyId');
    }
    if ((await em.count(WebhookEndpoint, { apiKey: key.id })) >= MAX_ENDPOINTS_PER_KEY) {
      throw badInput(`apiKeyId: a key has at most ${MAX_ENDPOINTS_PER_KEY} endpoints`, 'apiKeyId');
    }
    const secret = newWebhookSecret();
    // From now on: events already in the log are not announced (redeliverWebhooksSince can).
    const endpoint = em.create(WebhookEndpoint, {
      apiKey: key,
      url,
      events,
      secret,
      logPosition: await orderEventLog.head(em),
    });
    await em.flush();
    await audit(em, {
      actor: viewer,
      action: 'webhook_endpoint_created',
      entityType: 'WebhookEndpoint',
      entityId: endpoint.id,
      data: { apiKeyId: key.id, url, events },
    });
    return { endpoint, secret };
  },

  async update(
    scope: RequestScope,
    deps: WebhookEndpointDeps,
    id: string,
    input: UpdateWebhookEndpointInput,
  ): Promise<WebhookEndpoint> {
    const endpoint = await findEndpoint(scope, id);
    const changes: Record<string, unknown> = {};
    if (input.url != null)
      endpoint.url = changes.url = await checkWebhookUrl(input.url, deps.policy);
    if (input.events != null) endpoint.events = changes.events = cleanEvents(input.events);
    if (input.enabled != null) {
      // Events of a disabled spell are not sent afterwards (redeliverWebhooksSince can).
      if (input.enabled && endpoint.status === WebhookEndpointStatus.DISABLED) {
        endpoint.logPosition = await orderEventLog.head(scope.em);
      }
      endpoint.status = changes.status = input.enabled
        ? WebhookEndpointStatus.ACTIVE
        : WebhookEndpointStatus.DISABLED;
      if (input.enabled) endpoint.consecutiveFailures = 0;
    }
    await scope.em.flush();
    await audit(scope.em, {
      actor: scope.viewer,
      action: 'webhook_endpoint_updated',
      entityType: 'WebhookEndpoint',
      entityId: endpoint.id,
      data: changes,
    });
    if (endpoint.status === WebhookEndpointStatus.ACTIVE) wake(deps.bus, endpoint.id);
    return endpoint;
  },

  async delete(scope: RequestScope, id: string): Promise<boolean> {
    const endpoint = await findEndpoint(scope, id);
    await scope.em.remove(endpoint).flush();
    await audit(scope.em, {
      actor: scope.viewer,
      action: 'webhook_endpoint_deleted',
      entityType: 'WebhookEndpoint',
      entityId: endpoint.id,
      data: { url: endpoint.url },
    });
    return true;
  },

  /** A new secret; the old one keeps signing (beside the new) for the grace period. */
  async rotateSecret(
    scope: RequestScope,
    id: string,
    graceHours: number | null | undefined,
    now = new Date(),
  ): Promise<WebhookEndpointWithSecret> {
    const hours = graceHours ?? DEFAULT_ROTATION_GRACE_HOURS;
    if (!Number.isInteger(hours) || hours < 0 || hours > MAX_ROTATION_GRACE_HOURS) {
      throw badInput(
        `graceHours: a whole number from 0 to ${MAX_ROTATION_GRACE_HOURS}`,
        'graceHours',
      );
    }
    const endpoint = await findEndpoint(scope, id);
    const secret = newWebhookSecret();
    endpoint.previousSecret = hours > 0 ? endpoint.secret : null;
    endpoint.previousSecretExpiresAt =
      hours > 0 ? new Date(now.getTime() + hours * 3_600_000) : null;
    endpoint.secret = secret;
    await scope.em.flush();
    await audit(scope.em, {
      actor: scope.viewer,
      action: 'webhook_secret_rotated',
      entityType: 'WebhookEndpoint',
      entityId: endpoint.id,
      data: { graceHours: hours },
    });
    return { endpoint, secret };
  },

  /** The secrets that sign a delivery now: the current one, and the previous one in its grace period. */
  signingSecrets(endpoint: WebhookEndpoint, now = new Date()): string[] {
    const previous =
      endpoint.previousSecret &&
      endpoint.previousSecretExpiresAt &&
      endpoint.previousSecretExpiresAt > now
        ? [endpoint.previousSecret]
        : [];
    return [endpoint.secret, ...previous];
  },

  wake,
};
