import { randomBytes } from 'node:crypto';
import { hashApiKeySecret } from '../../auth/authenticate';
import { hashPassword, verifyPassword } from '../../auth/password';
import { ApiKey, Channel, User } from '../../entities';
import { ApiKeyScope } from '../../entities/api-key.entity';
import { Role } from '../../entities/enums';
import type { EventBus } from '../../realtime/event-bus';
import { TOPICS, type CredentialsRevokedEvent } from '../../kernel/topics';
import type { AppServices } from '../../app/app-services';
import { audit } from '../shared/audit';
import { assertId, assertIds, badInput, DomainError, notFound } from '../../kernel/errors';
import type { RequestScope } from '../../kernel/request-scope';
import { actingUserId } from '../shared/actor';

/** Verified against when the e-mail is unknown, so both answers take the same time. */
let decoyHash: Promise<string> | undefined;

const INVALID_LOGIN = 'Invalid e-mail or password';

export type LoginResult = { token: string; expiresAt: Date; user: User };

export const authService = {
  /**
   * Wrong password, unknown e-mail and inactive user get the same answer (and
   * the same work), so a caller cannot tell which one it was.
   */
  async login(
    { em }: RequestScope,
    services: Pick<AppServices, 'tokens' | 'loginLimiter'>,
    input: { email: string; password: string; ip: string },
  ): Promise<LoginResult> {
    const email = input.email.trim().toLowerCase();
    // Counted before the password is checked: a refused attempt costs no hash.
    await services.loginLimiter.consume(email, input.ip);
    const user = await em.findOne(User, { email }, { populate: ['passwordHash'] });
    decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
    const passwordOk = await verifyPassword(
      input.password,
      user?.passwordHash ?? (await decoyHash),
    );
    if (!user || !passwordOk || !user.active || user.role === Role.PARTNER) {
      await audit(em, {
        actor: null,
        action: 'login_failed',
        entityType: 'User',
        entityId: user?.id,
        data: { email, ip: input.ip },
      });
      throw new DomainError('UNAUTHENTICATED', INVALID_LOGIN);
    }
    await services.loginLimiter.succeeded(email, input.ip);
    await audit(em, {
      actor: {
        kind: 'user',
        id: user.id,
        role: user.role,
        branchIds: [],
        sessionVersion: user.sessionVersion,
      },
      action: 'login',
      entityType: 'User',
      entityId: user.id,
      data: { ip: input.ip },
    });
    return { ...services.tokens.sign(user.id, user.sessionVersion), user };
  },

  async me({ em, viewer }: RequestScope): Promise<User> {
    if (viewer?.kind !== 'user') throw new DomainError('UNAUTHENTICATED', 'Sign in first');
    return em.findOneOrFail(User, viewer.id);
  },

  /** The secret is returned once and only its hash is kept. */
  async createApiKey(
    { em, viewer }: RequestScope,
    input: { name: string; channelIds: string[]; scopes?: ApiKeyScope[] | null },
  ): Promise<{ apiKey: ApiKey; secret: string }> {
    const name = input.name.trim();
    if (!name) throw badInput('name must not be empty', 'name');
    const channelIds = assertIds(input.channelIds, 'channelIds') ?? [];
    if (channelIds.length === 0)
      throw badInput('channelIds must name at least one channel', 'channelIds');
    const found = await em.count(Channel, { id: { $in: channelIds } });
    if (found !== new Set(channelIds).size)
      throw badInput('channelIds names an unknown channel', 'channelIds');
    const secret = `crm_${randomBytes(24).toString('base64url')}`;
    const apiKey = em.create(ApiKey, {
      name,
      prefix: secret.slice(0, 10),
      secretHash: hashApiKeySecret(secret),
      channelIds: [...new Set(channelIds)],
      scopes: input.scopes?.length ? [...new Set(input.scopes)] : [ApiKeyScope.ORDERS_READ],
      createdBy: actingUserId(viewer),
    });
    await em.flush();
    await audit(em, {
      actor: viewer,
      action: 'api_key_created',
      entityType: 'ApiKey',
      entityId: apiKey.id,
      data: { name, channelIds },
    });
    return { apiKey, secret };
  },

  async revokeApiKey({ em, viewer }: RequestScope, bus: EventBus, id: string): Promise<ApiKey> {
    const apiKey = await em.findOne(ApiKey, { id: assertId(id) });
    if (!apiKey) throw notFound('ApiKey', id);
    if (!apiKey.revokedAt) {
      apiKey.revokedAt = new Date();
      await em.flush();
      await audit(em, {
        actor: viewer,
        action: 'api_key_revoked',
        entityType: 'ApiKey',
        entityId: apiKey.id,
      });
      bus.publish(TOPICS.credentialsRevoked, {
        apiKeyId: apiKey.id,
      } satisfies CredentialsRevokedEvent);
    }
    return apiKey;
  },

  listApiKeys({ em }: RequestScope): Promise<ApiKey[]> {
    return em.find(ApiKey, {}, { orderBy: { createdAt: 'desc' } });
  },
};
