import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { IMiddlewareTypeMap } from 'graphql-middleware';
import { rule, shield, type IRules } from 'graphql-shield';

import { ApiKeyScope } from '../entities/api-key.entity';
import { Role } from '../entities/enums';
import type { Context } from '../schema/context';

/**
 * Who may call each root field at all. Rows are narrowed further by the
 * scopes in scopes.ts; this table only answers "may this role ask".
 * A root field missing here is denied (and fails a test).
 */
export type Access =
  { kind: 'public' } | { kind: 'signed-in-user' } | { kind: 'roles'; roles: Role[] };

const CRM_ROLES = Object.values(Role).filter((role) => role !== Role.PARTNER);
const LEADERS_AND_IT = [Role.TELESALES_LEADER, Role.CUSTOMER_SERVICE_LEADER, Role.IT];
/** Roles that work tickets; IT configures but holds none (it sees no ticket). */
const TICKET_WORKERS = CRM_ROLES.filter((role) => role !== Role.IT);
/** Who watches the bot's health and figures: management, IT (it runs the provider) and the CS leader. */
const BOT_OVERSEERS = [Role.ADMIN, Role.BOD, Role.IT, Role.CUSTOMER_SERVICE_LEADER];

/** Who answers buyers: customer service, its leader, and admins (BOD reads, IT sees none). */
const CONVERSATION_AGENTS = [Role.ADMIN, Role.CUSTOMER_SERVICE_LEADER, Role.CUSTOMER_SERVICE];

/**
 * Reply templates answer buyers, which is customer service's work: its leader
 * and admins write them (BR-CRM-001: a leader acts for their own team); those
 * who answer or read conversations list them.
 */
const REPLY_TEMPLATE_EDITORS = [Role.ADMIN, Role.CUSTOMER_SERVICE_LEADER];
const REPLY_TEMPLATE_READERS = [
  Role.ADMIN,
  Role.BOD,
  Role.CUSTOMER_SERVICE_LEADER,
  Role.CUSTOMER_SERVICE,
];

/** Merging rewrites who owns what: leaders of either team and admins. */
const CUSTOMER_MERGERS = [Role.ADMIN, Role.TELESALES_LEADER, Role.CUSTOMER_SERVICE_LEADER];

/** Who owns knowledge-base articles: the team leaders (their own type) and admins. */
const KNOWLEDGE_BASE_EDITORS = [Role.ADMIN, Role.TELESALES_LEADER, Role.CUSTOMER_SERVICE_LEADER];

const publicField: Access = { kind: 'public' };
const signedInUser: Access = { kind: 'signed-in-user' };
const roles = (...allowed: Role[]): Access => ({ kind: 'roles', roles: allowed });

export const ACCESS: Record<'Query' | 'Mutation' | 'Subscription', Record<string, Access>> = {
  Query: {
    referenceData: publicField,
    me: signedInUser,
    ticket: roles(...CRM_ROLES),
    tickets: roles(...CRM_ROLES),
    customer: roles(...CRM_ROLES),
    customers: roles(...CRM_ROLES),
    order: roles(...CRM_ROLES, Role.PARTNER),
    orders: roles(...CRM_ROLES, Role.PARTNER),
    orderStatusBoard: roles(...CRM_ROLES, Role.PARTNER),
    recentOrderEvents: roles(...CRM_ROLES, Role.PARTNER),
    conversation: roles(...CRM_ROLES),
    conversations: roles(...CRM_ROLES),
    knowledgeBaseArticles: roles(...CRM_ROLES),
    replyTemplates: roles(...REPLY_TEMPLATE_READERS),
    assignment: roles(...LEADERS_AND_IT),
    apiKeys: roles(Role.ADMIN),
    webhookEndpoints: roles(Role.ADMIN),
    webhookDeliveries: roles(Role.ADMIN),
    inboundEvents: roles(Role.ADMIN, Role.IT),
    channels: roles(Role.ADMIN, Role.BOD, Role.IT),
    channelAuthorizationUrl: roles(Role.ADMIN),
    reconciliationReport: roles(Role.ADMIN, Role.BOD, Role.IT),
    orderSyncJob: roles(Role.ADMIN, Role.BOD, Role.IT),
    orderSyncJobs: roles(Role.ADMIN, Role.BOD, Role.IT),
    aiStatus: roles(...BOT_OVERSEERS),
    aiStats: roles(...BOT_OVERSEERS),
    // Reports aggregate only the rows the viewer could list (row scopes apply).
    orderReport: roles(...CRM_ROLES),
    ticketReport: roles(...CRM_ROLES),
    conversationReport: roles(...CRM_ROLES),
    customerReport: roles(...CRM_ROLES),
    integrationReport: roles(Role.ADMIN, Role.IT),
    orderVolume: roles(Role.ADMIN, Role.BOD, Role.IT),
    duplicateCandidates: roles(...CUSTOMER_MERGERS),
    // Rows are narrowed to the viewer's own jobs (an admin sees all).
    importJob: roles(...CUSTOMER_MERGERS),
    // Branch ids are what tickets, assignments, channels and users take: every CRM role reads them.
    branches: roles(...CRM_ROLES),
    // Rows are narrowed by userScope: a team leader lists their own team, to assign it.
    users: roles(Role.ADMIN, ...LEADERS_AND_IT),
    customerLabels: roles(...CRM_ROLES),
  },
  Mutation: {
    login: publicField,
    // The one-time token is the credential.
    setPasswordWithToken: publicField,
    changePassword: signedInUser,
    createUser: roles(Role.ADMIN),
    updateUser: roles(Role.ADMIN),
    resetPassword: roles(Role.ADMIN),
    setUserActive: roles(Role.ADMIN),
    createApiKey: roles(Role.ADMIN),
    replayInboundEvent: roles(Role.ADMIN, Role.IT),
    replayDeadLetters: roles(Role.ADMIN, Role.IT),
    revokeApiKey: roles(Role.ADMIN),
    createWebhookEndpoint: roles(Role.ADMIN),
    updateWebhookEndpoint: roles(Role.ADMIN),
    deleteWebhookEndpoint: roles(Role.ADMIN),
    rotateWebhookSecret: roles(Role.ADMIN),
    redeliverWebhook: roles(Role.ADMIN),
    redeliverWebhooksSince: roles(Role.ADMIN),
    assignTicket: roles(...LEADERS_AND_IT),
    createTicket: roles(...TICKET_WORKERS),
    createTickets: roles(...TICKET_WORKERS),
    updateTicket: roles(...TICKET_WORKERS),
    completeTicket: roles(...TICKET_WORKERS),
    cancelTicket: roles(...TICKET_WORKERS),
    reopenTicket: roles(...TICKET_WORKERS),
    addTicketNote: roles(...TICKET_WORKERS),
    recordPayment: roles(...TICKET_WORKERS),
    runTicketAutomation: roles(Role.ADMIN),
    updateAssignment: roles(...LEADERS_AND_IT),
    runReconciliation: roles(Role.ADMIN, Role.BOD, Role.IT),
    startOrderSync: roles(Role.ADMIN, Role.IT),
    connectChannel: roles(Role.ADMIN, Role.IT),
    updateChannel: roles(Role.ADMIN, Role.IT),
    reassignConversation: roles(Role.ADMIN, Role.CUSTOMER_SERVICE_LEADER),
    sendMessage: roles(...CONVERSATION_AGENTS),
    markConversationRead: roles(...CONVERSATION_AGENTS),
    // IT sees contacts masked, so it does not write them either.
    createCustomer: roles(...TICKET_WORKERS),
    updateCustomer: roles(...TICKET_WORKERS),
    mergeCustomers: roles(...CUSTOMER_MERGERS),
    unmergeCustomer: roles(...CUSTOMER_MERGERS),
    eraseCustomer: roles(Role.ADMIN),
    addCustomerNote: roles(...TICKET_WORKERS),
    setCustomerLabels: roles(...TICKET_WORKERS),
    resolveConversation: roles(...CONVERSATION_AGENTS),
    createBranch: roles(Role.ADMIN),
    updateBranch: roles(Role.ADMIN),
    // BR-CRM-007: a leader writes only their team's type (the service checks the row).
    createKnowledgeBaseArticle: roles(...KNOWLEDGE_BASE_EDITORS),
    updateKnowledgeBaseArticle: roles(...KNOWLEDGE_BASE_EDITORS),
    deleteKnowledgeBaseArticle: roles(...KNOWLEDGE_BASE_EDITORS),
    createReplyTemplate: roles(...REPLY_TEMPLATE_EDITORS),
    updateReplyTemplate: roles(...REPLY_TEMPLATE_EDITORS),
    deleteReplyTemplate: roles(...REPLY_TEMPLATE_EDITORS),
    // The label vocabulary is the teams' to shape: those who merge customers define it.
    createCustomerLabel: roles(...CUSTOMER_MERGERS),
    updateCustomerLabel: roles(...CUSTOMER_MERGERS),
  },
  Subscription: {
    ticketChanged: roles(...CRM_ROLES),
    ticketReminder: roles(...TICKET_WORKERS),
    orderChanged: roles(...CRM_ROLES, Role.PARTNER),
    orderEvents: roles(...CRM_ROLES, Role.PARTNER),
    channelAlert: roles(Role.ADMIN, Role.BOD, Role.IT),
    orderSyncProgress: roles(Role.ADMIN, Role.BOD, Role.IT),
    // Rows are narrowed by conversationScope per event (IT and telesales see none).
    messageAdded: roles(...CRM_ROLES),
    conversationChanged: roles(...CRM_ROLES),
    customerChanged: roles(...CRM_ROLES),
    importJobProgress: roles(...CUSTOMER_MERGERS),
  },
};

/** POST /imports/customers: a bulk write, for leaders and admins (the HTTP route checks it). */
export const IMPORT_ACCESS: Access = roles(...CUSTOMER_MERGERS);

/** May a viewer with this role (null: anonymous) call a field with this access? */
export function permits(access: Access, viewer: Context['viewer']): boolean {
  switch (access.kind) {
    case 'public':
      return true;
    case 'signed-in-user':
      return viewer?.kind === 'user';
    case 'roles':
      // A key reads orders over GraphQL only with ORDERS_READ: a BI key made
      // for exports alone must not read them field by field.
      return (
        viewer !== null &&
        access.roles.includes(viewer.role) &&
        (viewer.kind !== 'partner' || viewer.scopes.includes(ApiKeyScope.ORDERS_READ))
      );
  }
}

export const forbidden = (viewer: Context['viewer']): GraphQLError =>
  viewer
    ? new GraphQLError('Your role may not do this', { extensions: { code: 'FORBIDDEN' } })
    : new GraphQLError('Sign in first', { extensions: { code: 'UNAUTHENTICATED' } });

// `no_cache`: shield's contextual cache keys by rule name only, so aliases
// asking for different rows would share one answer.
const ruleFor = (access: Access) =>
  rule({ cache: 'no_cache' })((_parent, _args, ctx: Context) =>
    permits(access, ctx.viewer) ? true : forbidden(ctx.viewer),
  );

/**
 * The shield middleware for the root fields only: each by ACCESS, anything
 * unlisted denied. Fields below the root are not wrapped: their rows were
 * scoped when fetched, and a rule around every leaf would turn each field of
 * each row into a promise for a check that does not depend on the field.
 * Errors thrown by resolvers pass through unchanged so that an outage is not
 * reported as a permission failure.
 */
export function permissionsFor(schema: GraphQLSchema): IMiddlewareTypeMap {
  const rules: IRules = {};
  for (const [typeName, fields] of Object.entries(ACCESS)) {
    rules[typeName] = Object.fromEntries(
      Object.entries(fields).map(([field, access]) => [field, ruleFor(access)]),
    );
  }
  const generated = shield(rules, {
    fallbackRule: rule({ cache: 'no_cache' })((_p, _a, ctx: Context) => forbidden(ctx.viewer)),
    allowExternalErrors: true,
    debug: false,
  }).generate(schema);
  if (typeof generated === 'function' || !('Query' in generated)) {
    throw new Error('graphql-shield returned no per-type middleware');
  }
  const rootTypes = new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap(
      (type) => (type ? [type.name] : []),
    ),
  );
  return Object.fromEntries(Object.entries(generated).filter(([type]) => rootTypes.has(type)));
}

/**
 * graphql-middleware wraps a subscription's `resolve`, not its `subscribe`:
 * without this check an unauthorized client would get a listener and one
 * error per event. Called at subscribe time, before any listener exists.
 */
export function authorizeSubscription(
  field: keyof (typeof ACCESS)['Subscription'],
  viewer: Context['viewer'],
): NonNullable<Context['viewer']> {
  if (!viewer || !permits(ACCESS.Subscription[field] ?? { kind: 'roles', roles: [] }, viewer)) {
    throw forbidden(viewer);
  }
  return viewer;
}
