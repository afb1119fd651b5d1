/**
 * npm run sync:orders -- --channel <id> --from <date> --to <date>: starts a
 * manual order sync on the running API (startOrderSync) and follows the job
 * (orderSyncJob) until it ends; `--job <id>` follows one already started.
 * The sync runs on the API's workers: stopping this command (Ctrl-C) stops
 * the following, not the sync. Exit 0 when it succeeded, 1 when it failed,
 * 2 when it finished but some orders could not be applied.
 */
import { parseArgs } from 'node:util';
import { connectApi, pollUntil, runCommand } from '../src/cli/api-client';
import { createProgress, lineEveryMsOption, PROGRESS_EVERY_OPTION } from '../src/cli/progress';
import { loadCliConfig } from '../src/config';

const USAGE = [
  'usage: npm run sync:orders -- --channel <id> --from <date> --to <date> [--progress-every <seconds>]',
  '       npm run sync:orders -- --job <id>',
  'dates are ISO 8601; a bare date is midnight UTC (2024-06-01T00:00+07:00 for Vietnam time)',
].join('\n');

type SyncStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
type SyncJobView = {
  id: string;
  status: SyncStatus;
  pages: number;
  ordersSeen: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  lastError: string | null;
};

const JOB_FIELDS = 'id status pages ordersSeen created updated unchanged failed lastError';

function isoDate(name: string, value: string | undefined): string {
  const date = value ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new Error(`--${name}: expected an ISO 8601 date, got "${value ?? ''}"\n${USAGE}`);
  }
  return date.toISOString();
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      channel: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      job: { type: 'string' },
      ...PROGRESS_EVERY_OPTION,
    },
  });
  const lineEveryMs = lineEveryMsOption(values['progress-every']);
  if (!values.job && !values.channel) throw new Error(USAGE);
  const range = values.job
    ? undefined
    : { from: isoDate('from', values.from), to: isoDate('to', values.to) };
  const api = await connectApi(loadCliConfig(process.env));

  let jobId: string;
  if (range) {
    const { startOrderSync } = await api.graphql<{ startOrderSync: SyncJobView }>(
      `mutation($channel: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
         startOrderSync(channelId: $channel, from: $from, to: $to) { ${JOB_FIELDS} } }`,
      { channel: values.channel, ...range },
    );
    jobId = startOrderSync.id;
  } else {
    jobId = values.job!;
  }
  process.on('SIGINT', () => {
    process.stderr.write(
      `\nstopped following; the sync goes on in the API: npm run sync:orders -- --job ${jobId}\n`,
    );
    process.exit(130);
  });

  // The platforms do not say how many orders a range holds: the total is unknown.
  const progress = createProgress({ label: `sync ${jobId}`, unit: 'orders', lineEveryMs });
  const counts = (job: SyncJobView) => ({
    status: job.status,
    pages: job.pages,
    created: job.created,
    updated: job.updated,
    unchanged: job.unchanged,
    failed: job.failed,
  });
  const job = await pollUntil({
    read: async () =>
      (
        await api.graphql<{ orderSyncJob: SyncJobView }>(
          `query($id: ID!) { orderSyncJob(id: $id) { ${JOB_FIELDS} } }`,
          { id: jobId },
        )
      ).orderSyncJob,
    finished: (current) => current.status === 'SUCCEEDED' || current.status === 'FAILED',
    onValue: (current) => progress.update(current.ordersSeen, counts(current)),
    intervalMs: 1_000,
  });
  const outcome =
    job.status === 'FAILED' ? 'failed' : job.failed > 0 ? 'done with failed orders' : 'done';
  progress.finish(outcome, counts(job));
  if (job.lastError) process.stderr.write(`last error: ${job.lastError}\n`);
  process.stdout.write(`${JSON.stringify(job)}\n`);
  return job.status === 'FAILED' ? 1 : job.failed > 0 ? 2 : 0;
}

runCommand(main);
