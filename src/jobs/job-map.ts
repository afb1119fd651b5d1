/** Every job the API runs, by queue name, with its payload type. */
export type JobPayloads = {
  'mark-missed-tickets': Record<string, never>;
  'remind-due-tickets': Record<string, never>;
  'birthday-tickets': Record<string, never>;
  'retry-inbound-events': Record<string, never>;
  'reconcile-payments': Record<string, never>;
  'channel-token-alerts': Record<string, never>;
  'refresh-channel-tokens': Record<string, never>;
  'enrich-order': { orderId: string };
  'sweep-unenriched-orders': Record<string, never>;
  'order-sync': { syncJobId: string };
  'resume-order-syncs': Record<string, never>;
  'send-message': { messageId: string };
  'sweep-pending-messages': Record<string, never>;
  'compact-report-summaries': Record<string, never>;
  'partner-webhook': { endpointId: string };
  'partner-webhook-sweep': Record<string, never>;
  'partner-webhook-retention': Record<string, never>;
};

export type JobName = keyof JobPayloads;

export const JOB_NAMES: JobName[] = [
  'mark-missed-tickets',
  'remind-due-tickets',
  'birthday-tickets',
  'retry-inbound-events',
  'reconcile-payments',
  'channel-token-alerts',
  'refresh-channel-tokens',
  'enrich-order',
  'sweep-unenriched-orders',
  'order-sync',
  'resume-order-syncs',
  'send-message',
  'sweep-pending-messages',
  'compact-report-summaries',
  'partner-webhook',
  'partner-webhook-sweep',
  'partner-webhook-retention',
];
