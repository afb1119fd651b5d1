import { Field, ID, InputType } from 'type-graphql';
import { ChannelStatus, Platform } from '../../entities/enums';
import type {
  ChannelCredentials,
  ConnectChannelInput as ConnectFields,
  UpdateChannelInput as UpdateFields,
} from '../../services/channels/channel.service';

@InputType({
  description:
    'Write-only: never returned by any query (Channel has hasAccessToken, hasShopKey, hasShopSecret). On update a field left out stays and null clears it; a new or cleared accessToken replaces tokenExpiresAt too (left out: no expiry).',
})
export class ChannelCredentialsInput implements ChannelCredentials {
  @Field(() => String, {
    nullable: true,
    description:
      "The seller's order-API / messaging token (Lazada, Shopee, TikTok Shop, Tiki, Facebook, Zalo).",
  })
  accessToken?: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When accessToken expires; in the future. The daily channelAlert watches it.',
  })
  tokenExpiresAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Sendo only, required there.' })
  shopKey?: string | null;

  @Field(() => String, { nullable: true, description: 'Sendo only, required there.' })
  shopSecret?: string | null;
}

@InputType()
export class ConnectChannelInput implements ConnectFields {
  @Field(() => Platform)
  platform!: Platform;

  @Field({
    description:
      "The platform's id of the shop, page or OA, as its pushes name it (Lazada seller_id, Shopee shop_id, Facebook page id...).",
  })
  externalShopId!: string;

  @Field()
  name!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Where new customers and handed-off conversations of this channel go.',
  })
  branchId?: string | null;

  @Field(() => ChannelCredentialsInput, { nullable: true })
  credentials?: ChannelCredentialsInput | null;
}

@InputType({
  description:
    'A field left out stays. Platform and externalShopId never change: orders and conversations are keyed by them.',
})
export class UpdateChannelInput implements UpdateFields {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => ID, { nullable: true, description: 'null: no branch.' })
  branchId?: string | null;

  @Field(() => ChannelStatus, {
    nullable: true,
    description:
      "ACTIVE or DISCONNECTED. DISCONNECTED pauses what the API starts itself (order syncs, token alerts); the platform's pushes are still stored and applied.",
  })
  status?: ChannelStatus | null;

  @Field(() => ChannelCredentialsInput, { nullable: true })
  credentials?: ChannelCredentialsInput | null;
}
