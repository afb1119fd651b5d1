/**
 * npm run import:customers -- <file.csv>: uploads the file to the running
 * API (POST /imports/customers) and follows the import job's counters until
 * it ends. Exit 0 when the file was read to its end (rejected rows are in
 * the report, not a failure), 1 when the import failed.
 */
import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { connectApi, pollUntil, runCommand } from '../src/cli/api-client';
import { createProgress, lineEveryMsOption, PROGRESS_EVERY_OPTION } from '../src/cli/progress';
import { loadCliConfig } from '../src/config';

const USAGE = 'usage: npm run import:customers -- <file.csv> [--progress-every <seconds>]';
/** Rejections printed at the end; the job keeps the first 1,000 (query importJob). */
const SHOWN_REJECTIONS = 10;

type ImportJobView = {
  id: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  processed: number;
  imported: number;
  merged: number;
  rejected: number;
  error: string | null;
  rejections: { line: number; reason: string }[];
};

const JOB_QUERY = `query($id: ID!) { importJob(id: $id) {
  id status processed imported merged rejected error rejections { line reason } } }`;

/**
 * Non-empty lines after the header: the number of records unless a quoted
 * field spans lines, and cheap to count before the upload. It is the bar's
 * total only; the counts shown are the job's.
 */
async function countDataLines(file: string): Promise<number> {
  let lines = 0;
  let content = false;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (const byte of chunk) {
      if (byte === 0x0a) {
        if (content) lines += 1;
        content = false;
      } else if (byte !== 0x0d && byte !== 0x20 && byte !== 0x09) content = true;
    }
  }
  if (content) lines += 1;
  return Math.max(0, lines - 1);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { ...PROGRESS_EVERY_OPTION },
  });
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new Error(USAGE);
  const lineEveryMs = lineEveryMsOption(values['progress-every']);
  const total = await countDataLines(file);
  const api = await connectApi(loadCliConfig(process.env));

  const response = await api.upload(
    '/imports/customers',
    createReadStream(file),
    'text/csv; charset=utf-8',
  );
  const jobId = response.headers['x-import-job-id'];
  if (response.status !== 202 || typeof jobId !== 'string') {
    const text = await response.text;
    let reason = text;
    try {
      reason = (JSON.parse(text) as { error?: string }).error ?? text;
    } catch {
      // Not the API's JSON (a proxy's page): show it as it came.
    }
    throw new Error(`the API refused the import (HTTP ${response.status}): ${reason}`);
  }
  const progress = createProgress({ label: `import ${jobId}`, total, unit: 'rows', lineEveryMs });
  const counts = (job: ImportJobView) => ({
    imported: job.imported,
    merged: job.merged,
    rejected: job.rejected,
  });
  const job = await pollUntil({
    read: async () =>
      (await api.graphql<{ importJob: ImportJobView }>(JOB_QUERY, { id: jobId })).importJob,
    finished: (current) => current.status !== 'RUNNING',
    onValue: (current) => progress.update(current.processed, counts(current)),
    intervalMs: 500,
    // The response ends with the import: one more read then has the final counts.
    stop: response.text,
  });
  const failed = job.status !== 'SUCCEEDED';
  progress.finish(failed ? 'failed' : 'done', counts(job));
  for (const { line, reason } of job.rejections.slice(0, SHOWN_REJECTIONS)) {
    process.stderr.write(`  rejected line ${line}: ${reason}\n`);
  }
  if (job.rejected > SHOWN_REJECTIONS) {
    process.stderr.write(
      `  ...and ${(job.rejected - SHOWN_REJECTIONS).toLocaleString('en-US')} more: query importJob(id: "${job.id}") for the list\n`,
    );
  }
  if (job.error) process.stderr.write(`${job.error}\n`);
  process.stdout.write(
    `${JSON.stringify({ jobId: job.id, status: job.status, processed: job.processed, ...counts(job) })}\n`,
  );
  return failed ? 1 : 0;
}

runCommand(main);
