import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../auth/viewer';

/** What a service needs of a request: its EntityManager and who is asking. */
export type RequestScope = { em: EntityManager; viewer: Viewer | null };
