import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { createLoaders, type Loaders } from '../services/loaders';

/** What every resolver gets: a request-scoped EntityManager and its loaders. */
export type Context = {
  em: EntityManager;
  loaders: Loaders;
  requestId: string;
};

export function createContext(orm: MikroORM, requestId: string): Context {
  const em = orm.em.fork();
  return { em, loaders: createLoaders(em), requestId } satisfies Context;
}
