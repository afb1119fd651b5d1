import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../../auth/viewer';
import { AuditLog } from '../../entities';
import { actingUserId } from './actor';

export type AuditEntry = {
  actor: Viewer | null;
  action: string;
  entityType: string;
  entityId?: string;
  data?: Record<string, unknown>;
};

/** Appends to the audit log at once, outside any unit of work, so a later failure cannot drop it. */
export async function audit(em: EntityManager, entry: AuditEntry): Promise<void> {
  const actor = entry.actor;
  // A native insert runs no property initializers: the id is set here.
  await em.insert(AuditLog, {
    id: randomUUID(),
    actor: actingUserId(actor),
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    data: {
      ...(actor?.kind === 'partner' ? { apiKeyId: actor.apiKeyId } : {}),
      ...entry.data,
    },
    createdAt: new Date(),
  });
}
