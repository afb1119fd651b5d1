import type { ApiKeyScope } from '../entities/api-key.entity';
import { Role, TicketTarget } from '../entities/enums';

/** Who is asking: a signed-in CRM user or a partner app holding an API key. */
export type UserViewer = {
  kind: 'user';
  id: string;
  role: Exclude<Role, Role.PARTNER>;
  branchIds: string[];
  /** The session version the viewer's token was signed with (see TokenService). */
  sessionVersion: number;
};

export type PartnerViewer = {
  kind: 'partner';
  role: Role.PARTNER;
  apiKeyId: string;
  channelIds: string[];
  scopes: ApiKeyScope[];
};

export type Viewer = UserViewer | PartnerViewer;

const TARGET_OF: Partial<Record<Role, TicketTarget>> = {
  [Role.TELESALES_LEADER]: TicketTarget.TELESALES,
  [Role.TELESALES]: TicketTarget.TELESALES,
  [Role.CUSTOMER_SERVICE_LEADER]: TicketTarget.CUSTOMER_SERVICE,
  [Role.CUSTOMER_SERVICE]: TicketTarget.CUSTOMER_SERVICE,
};

/** The team a role works for; null for roles above or outside the teams. */
export const targetOf = (role: Role): TicketTarget | null => TARGET_OF[role] ?? null;

export const LEADER_ROLES = [Role.TELESALES_LEADER, Role.CUSTOMER_SERVICE_LEADER] as const;
export const STAFF_ROLES = [Role.TELESALES, Role.CUSTOMER_SERVICE] as const;

export const isLeader = (role: Role): boolean => (LEADER_ROLES as readonly Role[]).includes(role);
export const isStaff = (role: Role): boolean => (STAFF_ROLES as readonly Role[]).includes(role);
