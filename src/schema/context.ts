import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Viewer } from '../auth/viewer';
import { createLoaders, type Loaders } from '../services/shared/loaders';
import type { RequestScope } from '../kernel/request-scope';
import type { AppServices } from '../app/app-services';

/** What every resolver gets: who asks, a request-scoped EntityManager and its loaders. */
export type Context = RequestScope & {
  em: EntityManager;
  viewer: Viewer | null;
  loaders: Loaders;
  requestId: string;
  clientIp: string;
  services: AppServices;
};

/**
 * A request's context. Its EntityManager and loaders are made when a resolver
 * first asks for them: a subscription renews them for every event it
 * delivers, and most events (an order event carries its order, a change its
 * row) are answered without either.
 */
class ResolverContext implements Context {
  private ownEm: EntityManager | undefined;
  private ownLoaders: Loaders | undefined;

  constructor(
    private fork: () => EntityManager,
    public viewer: Viewer | null,
    readonly requestId: string,
    readonly clientIp: string,
    readonly services: AppServices,
  ) {}

  get em(): EntityManager {
    return (this.ownEm ??= this.fork());
  }

  get loaders(): Loaders {
    return (this.ownLoaders ??= createLoaders(this.em, this.viewer));
  }

  renew(fork: () => EntityManager, viewer: Viewer): void {
    this.fork = fork;
    this.ownEm = undefined;
    this.ownLoaders = undefined;
    this.viewer = viewer;
  }
}

export function createContext(
  orm: MikroORM,
  services: AppServices,
  request: { id: string; clientIp: string },
  viewer: Viewer | null,
  em?: EntityManager,
): Context {
  return new ResolverContext(
    em ? () => em : () => orm.em.fork(),
    viewer,
    request.id,
    request.clientIp,
    services,
  );
}

/**
 * A subscription's context lives as long as the subscription; each event gets
 * its own EntityManager (from `fork`, when first used), viewer and loaders so
 * nothing is served from a stale cache or an outdated scope.
 */
export function renewForEvent(ctx: Context, fork: () => EntityManager, viewer: Viewer): void {
  if (!(ctx instanceof ResolverContext))
    throw new Error('renewForEvent takes a context of createContext');
  ctx.renew(fork, viewer);
}
