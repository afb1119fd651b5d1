import {
  Arg,
  Args,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { InputType } from 'type-graphql';
import { WebhookDelivery, WebhookEndpoint } from '../entities';
import { OrderStatus, WebhookDeliveryStatus } from '../entities/enums';
import type { Context } from '../schema/context';
import { ConnectionType, PageArgs } from '../schema/pagination';
import { encodeLogCursor } from '../services/orders/order-event-log';
import type { Row } from '../services/shared/rows';
import { webhookDeliveryService } from '../services/webhooks/webhook-delivery.service';
import {
  DEFAULT_ROTATION_GRACE_HOURS,
  webhookEndpointService,
  type WebhookEndpointDeps,
} from '../services/webhooks/webhook-endpoint.service';

@ObjectType()
class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpoint)
  endpoint!: WebhookEndpoint;

  @Field({
    description:
      'Shown this once. Verify X-Webhook-Signature with HMAC-SHA256 keyed with this exact string (see docs/partner-apps.md).',
  })
  secret!: string;
}

@ObjectType()
export class WebhookDeliveryConnection extends ConnectionType(WebhookDelivery) {}

@InputType()
class WebhookDeliveryFilter {
  @Field(() => WebhookDeliveryStatus, { nullable: true })
  status?: WebhookDeliveryStatus;
}

@InputType()
class UpdateWebhookEndpointInput {
  @Field({ nullable: true })
  url?: string;

  @Field(() => [OrderStatus], { nullable: true })
  events?: OrderStatus[];

  @Field({
    nullable: true,
    description: 'true: ACTIVE again (an UNHEALTHY endpoint is called again); false: DISABLED.',
  })
  enabled?: boolean;
}

const depsOf = (ctx: Context): WebhookEndpointDeps => ({
  policy: ctx.services.partnerWebhooks,
  bus: ctx.services.bus,
});

/** Partner webhooks (Admin): endpoints per API key, their deliveries, replays. */
@Resolver(() => WebhookEndpoint)
export class WebhookEndpointResolver {
  @Query(() => [WebhookEndpoint])
  webhookEndpoints(
    @Arg('apiKeyId', () => ID, { nullable: true }) apiKeyId: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<WebhookEndpoint[]> {
    return webhookEndpointService.list(ctx, apiKeyId);
  }

  @Mutation(() => WebhookEndpointWithSecret, {
    description:
      'POSTs the order events the key may read (its channels; the same scope as orderEvents) to `url`, from now on. BAD_USER_INPUT for a URL that is not https (in production) or points at a loopback, private or link-local address, an unknown status, or a key that is revoked or may not read orders.',
  })
  createWebhookEndpoint(
    @Arg('apiKeyId', () => ID) apiKeyId: string,
    @Arg('url') url: string,
    @Arg('events', () => [OrderStatus], { description: 'Order statuses whose events to send.' })
    events: OrderStatus[],
    @Ctx() ctx: Context,
  ): Promise<WebhookEndpointWithSecret> {
    return webhookEndpointService.create(ctx, depsOf(ctx), { apiKeyId, url, events });
  }

  @Mutation(() => WebhookEndpoint)
  updateWebhookEndpoint(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
    @Ctx() ctx: Context,
  ): Promise<WebhookEndpoint> {
    return webhookEndpointService.update(ctx, depsOf(ctx), id, input);
  }

  @Mutation(() => Boolean, { description: 'The endpoint and its delivery log go.' })
  deleteWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return webhookEndpointService.delete(ctx, id);
  }

  @Mutation(() => WebhookEndpointWithSecret, {
    description: `A new secret. Until graceHours (default ${DEFAULT_ROTATION_GRACE_HOURS}, at most 168) pass, each delivery carries two signatures, one per secret, so receivers can switch without dropping any.`,
  })
  rotateWebhookSecret(
    @Arg('id', () => ID) id: string,
    @Arg('graceHours', () => Int, { nullable: true }) graceHours: number | undefined,
    @Ctx() ctx: Context,
  ): Promise<WebhookEndpointWithSecret> {
    return webhookEndpointService.rotateSecret(ctx, id, graceHours);
  }

  @Query(() => WebhookDeliveryConnection, { description: 'Newest first.' })
  async webhookDeliveries(
    @Arg('endpointId', () => ID) endpointId: string,
    @Arg('filter', () => WebhookDeliveryFilter, { nullable: true })
    filter: WebhookDeliveryFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<WebhookDeliveryConnection> {
    return new WebhookDeliveryConnection(
      await webhookDeliveryService.list(ctx, endpointId, filter, page),
    );
  }

  @Mutation(() => WebhookDelivery, {
    description:
      'Sends the delivery again, with the same X-Webhook-Id and a new 24-hour retry window.',
  })
  redeliverWebhook(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<WebhookDelivery> {
    return webhookDeliveryService.redeliver(ctx, ctx.services.bus, id);
  }

  @Mutation(() => Int, {
    description:
      "Sends again every event after `cursor` (a delivery's or orderEvents' cursor) that the endpoint receives; returns how many. At most 10,000 per call.",
  })
  redeliverWebhooksSince(
    @Arg('endpointId', () => ID) endpointId: string,
    @Arg('cursor') cursor: string,
    @Ctx() ctx: Context,
  ): Promise<number> {
    return webhookDeliveryService.redeliverSince(ctx, ctx.services.bus, endpointId, cursor);
  }

  @FieldResolver(() => ID)
  apiKeyId(@Root() endpoint: Row<WebhookEndpoint>): string {
    return endpoint.apiKey.id;
  }
}

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  @FieldResolver(() => String, {
    description: "The event's position: what orderEvents(after:) and redeliverWebhooksSince take.",
  })
  cursor(@Root() delivery: Row<WebhookDelivery>): string {
    return encodeLogCursor(delivery.sequence);
  }

  @FieldResolver(() => ID)
  endpointId(@Root() delivery: Row<WebhookDelivery>): string {
    return delivery.endpoint.id;
  }
}
