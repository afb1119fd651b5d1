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

export function createContext(
  orm: MikroORM,
  services: AppServices,
  request: { id: string; clientIp: string },
  viewer: Viewer | null,
  em: EntityManager = orm.em.fork(),
): Context {
  return {
    em,
    viewer,
    loaders: createLoaders(em, viewer),
    requestId: request.id,
    clientIp: request.clientIp,
    services,
  } satisfies Context;
}

/**
 * A subscription's context lives as long as the subscription; each event gets
 * its own EntityManager, viewer and loaders so nothing is served from a stale
 * cache or an outdated scope.
 */
export function renewForEvent(ctx: Context, em: EntityManager, viewer: Viewer): void {
  ctx.em = em;
  ctx.viewer = viewer;
  ctx.loaders = createLoaders(em, viewer);
}
