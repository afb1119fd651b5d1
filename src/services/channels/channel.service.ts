import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Branch, Channel } from '../../entities';
import { ChannelStatus, Platform } from '../../entities/enums';
import { audit } from '../shared/audit';
import { assertId, badInput, DomainError, notFound } from '../../kernel/errors';
import type { RequestScope } from '../../kernel/request-scope';
import { MAX_LENGTH } from '../../kernel/text-limits';

/**
 * Write-only: a field left out keeps what is stored, null clears it. Nothing
 * here is ever returned or audited by value.
 */
export type ChannelCredentials = {
  accessToken?: string | null;
  tokenExpiresAt?: Date | null;
  /** Sendo only. */
  shopKey?: string | null;
  /** Sendo only. */
  shopSecret?: string | null;
};

export type ConnectChannelInput = {
  platform: Platform;
  externalShopId: string;
  name: string;
  branchId?: string | null;
  credentials?: ChannelCredentials | null;
};

export type UpdateChannelInput = {
  name?: string | null;
  branchId?: string | null;
  status?: ChannelStatus | null;
  credentials?: ChannelCredentials | null;
};

type SecretField = 'accessToken' | 'shopKey' | 'shopSecret';
const SECRET_FIELDS: readonly SecretField[] = ['accessToken', 'shopKey', 'shopSecret'];

/**
 * Platform ids are numbers or short slugs. The id is part of inbox and
 * message keys joined with ":" and of rate-limit keys, so it is kept to
 * characters that cannot collide with those separators.
 */
const EXTERNAL_SHOP_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const MAX_NAME = MAX_LENGTH.channelName;
const MAX_SECRET = MAX_LENGTH.secret;

/** The states an operator may set; TOKEN_EXPIRED is the platform's verdict, not a choice. */
const SETTABLE_STATUSES: readonly ChannelStatus[] = [
  ChannelStatus.ACTIVE,
  ChannelStatus.DISCONNECTED,
];

function cleanName(name: string | null | undefined): string {
  const trimmed = (name ?? '').trim();
  if (!trimmed) throw badInput('name must not be empty', 'name');
  if (trimmed.length > MAX_NAME)
    throw badInput(`name is longer than ${MAX_NAME} characters`, 'name');
  return trimmed;
}

function cleanExternalShopId(value: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw badInput('externalShopId must not be empty', 'externalShopId');
  if (!EXTERNAL_SHOP_ID.test(trimmed)) {
    throw badInput(
      'externalShopId must be the platform id of the shop, page or OA: up to 100 letters, digits, ".", "_" or "-"',
      'externalShopId',
    );
  }
  return trimmed;
}

/** A secret as given, or null to clear it; the message never repeats the value. */
function cleanSecret(value: string | null, field: SecretField): string | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (!trimmed) throw badInput(`${field} must not be empty; send null to clear it`, field);
  if (trimmed.length > MAX_SECRET) {
    throw badInput(`${field} is longer than ${MAX_SECRET} characters`, field);
  }
  return trimmed;
}

async function resolveBranch(
  { em }: RequestScope,
  branchId: string | null | undefined,
): Promise<string | null | undefined> {
  if (branchId === undefined || branchId === null) return branchId;
  const id = assertId(branchId, 'branchId');
  if (!(await em.count(Branch, { id }))) throw notFound('Branch', id);
  return id;
}

const iso = (date: Date | undefined | null): string | null => date?.toISOString() ?? null;

type CredentialChange = {
  secrets: Partial<Record<SecretField, string | null>>;
  tokenExpiresAt?: Date | null;
};

/**
 * Checks credentials against the platform before anything is written. A new
 * or cleared access token replaces its expiry too: the stored expiry was the
 * old token's, so it is the given one, or none when left out.
 */
function credentialChange(
  platform: Platform,
  credentials: ChannelCredentials | null | undefined,
  now: Date,
): CredentialChange {
  const change: CredentialChange = { secrets: {} };
  if (!credentials) return change;
  for (const field of SECRET_FIELDS) {
    const value = credentials[field];
    if (value === undefined) continue;
    if ((field === 'shopKey' || field === 'shopSecret') && platform !== Platform.SENDO) {
      if (value !== null) throw badInput(`${field} is for Sendo channels only`, field);
    }
    change.secrets[field] = cleanSecret(value, field);
  }
  if (platform === Platform.SENDO) {
    for (const field of ['shopKey', 'shopSecret'] as const) {
      if (credentials[field] === null) {
        throw badInput(`a Sendo channel needs its ${field}; it cannot be cleared`, field);
      }
    }
  }
  const expiresAt = credentials.tokenExpiresAt;
  if (expiresAt !== undefined && expiresAt !== null) {
    if (Number.isNaN(expiresAt.getTime())) {
      throw badInput('tokenExpiresAt is not a valid time', 'tokenExpiresAt');
    }
    if (expiresAt.getTime() <= now.getTime()) {
      throw badInput('tokenExpiresAt must be in the future', 'tokenExpiresAt');
    }
  }
  if (expiresAt !== undefined) change.tokenExpiresAt = expiresAt;
  else if (change.secrets.accessToken !== undefined) change.tokenExpiresAt = null;
  return change;
}

/**
 * A new token, or a new expiry, starts its alert history afresh, so the
 * daily job announces it even when an alert about this channel was already
 * raised today.
 */
function applyCredentials(channel: Channel, change: CredentialChange): void {
  for (const [field, value] of Object.entries(change.secrets) as [SecretField, string | null][]) {
    channel[field] = value ?? undefined;
  }
  if (change.tokenExpiresAt === undefined) return;
  const expiresAt = change.tokenExpiresAt ?? undefined;
  if (change.secrets.accessToken !== undefined || iso(expiresAt) !== iso(channel.tokenExpiresAt)) {
    channel.tokenAlertedFor = undefined;
    channel.tokenAlertedAt = undefined;
  }
  channel.tokenExpiresAt = expiresAt;
}

/** The names of the secrets a change sets (or clears), for the audit log. */
const secretNames = (change: CredentialChange, cleared: boolean): string[] =>
  Object.entries(change.secrets)
    .filter(([, value]) => (value === null) === cleared)
    .map(([field]) => field);

/** What the audit log records of a channel; its secrets are left out. */
const auditedFields = (channel: Channel) => ({
  name: channel.name,
  branchId: channel.branch?.id ?? null,
  status: channel.status,
  tokenExpiresAt: iso(channel.tokenExpiresAt),
});

const duplicate = (platform: Platform, externalShopId: string, existingId: string) =>
  new DomainError(
    'CONFLICT',
    `${platform} shop ${externalShopId} is already connected as channel ${existingId}; update that channel instead`,
    { existingChannelId: existingId, reason: 'CHANNEL_ALREADY_CONNECTED' },
  );

/**
 * Connecting and changing channels (Admin, IT). Every input is checked before
 * anything is written, and every change is audited with the names of the
 * secrets it set or cleared, never their values.
 */
export const channelService = {
  async connect(
    scope: RequestScope,
    input: ConnectChannelInput,
    now = new Date(),
  ): Promise<Channel> {
    const { em, viewer } = scope;
    const name = cleanName(input.name);
    const externalShopId = cleanExternalShopId(input.externalShopId);
    const credentials = credentialChange(input.platform, input.credentials, now);
    if (input.platform === Platform.SENDO) {
      // Sendo signs nothing: pushes are matched by shop key and confirmed with the shop's login.
      for (const field of ['shopKey', 'shopSecret'] as const) {
        if (!credentials.secrets[field]) {
          throw badInput(`a Sendo channel needs its ${field}`, field);
        }
      }
    }
    const branchId = await resolveBranch(scope, input.branchId);
    const existing = await em.findOne(
      Channel,
      { platform: input.platform, externalShopId },
      { fields: ['id'] },
    );
    if (existing) throw duplicate(input.platform, externalShopId, existing.id);

    const channel = em.create(Channel, {
      platform: input.platform,
      externalShopId,
      name,
      branch: branchId ?? undefined,
    });
    applyCredentials(channel, credentials);
    try {
      await em.flush();
    } catch (error) {
      // Another connect of the same shop committed between the check and the insert.
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      em.clear();
      const winner = await em.findOneOrFail(Channel, { platform: input.platform, externalShopId });
      throw duplicate(input.platform, externalShopId, winner.id);
    }
    await audit(em, {
      actor: viewer,
      action: 'channel_connected',
      entityType: 'Channel',
      entityId: channel.id,
      data: {
        platform: channel.platform,
        externalShopId,
        ...auditedFields(channel),
        secretsSet: secretNames(credentials, false),
      },
    });
    return channel;
  },

  /**
   * Renames, moves, pauses or resumes a channel, or rotates its credentials.
   * A channel is never deleted (orders and conversations keep pointing at it):
   * DISCONNECTED is how it is switched off.
   */
  async update(
    scope: RequestScope,
    id: string,
    input: UpdateChannelInput,
    now = new Date(),
  ): Promise<Channel> {
    const { em, viewer } = scope;
    const channelId = assertId(id);
    // The lazy secrets are loaded so that clearing one is seen as a change.
    const channel = await em.findOne(Channel, channelId, {
      populate: ['accessToken', 'shopSecret'],
    });
    if (!channel) throw notFound('Channel', channelId);

    const name = input.name === undefined ? undefined : cleanName(input.name);
    if (input.status === null) throw badInput('status must not be null', 'status');
    if (input.status !== undefined && !SETTABLE_STATUSES.includes(input.status)) {
      throw badInput(`status may be set to ${SETTABLE_STATUSES.join(' or ')}`, 'status');
    }
    const credentials = credentialChange(channel.platform, input.credentials, now);
    const branchId = await resolveBranch(scope, input.branchId);

    const before = auditedFields(channel);
    if (name !== undefined) channel.name = name;
    if (branchId !== undefined) {
      channel.branch =
        branchId === null ? undefined : em.getReference(Branch, branchId, { wrapped: true });
    }
    if (input.status !== undefined) channel.status = input.status;
    else if (
      channel.status === ChannelStatus.TOKEN_EXPIRED &&
      typeof credentials.secrets.accessToken === 'string'
    ) {
      // A fresh token is what an expired channel was waiting for.
      channel.status = ChannelStatus.ACTIVE;
    }
    applyCredentials(channel, credentials);
    const after = auditedFields(channel);
    const changes = Object.fromEntries(
      (Object.keys(before) as (keyof typeof before)[])
        .filter((field) => before[field] !== after[field])
        .map((field) => [field, { from: before[field], to: after[field] }]),
    );
    const secretsSet = secretNames(credentials, false);
    const secretsCleared = secretNames(credentials, true);
    if (Object.keys(changes).length === 0 && Object.keys(credentials.secrets).length === 0) {
      return channel;
    }
    await em.flush();
    await audit(em, {
      actor: viewer,
      action: 'channel_updated',
      entityType: 'Channel',
      entityId: channel.id,
      data: { changes, secretsSet, secretsCleared },
    });
    return channel;
  },
};
