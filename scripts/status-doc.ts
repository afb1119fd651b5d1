import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withStatusReference } from '../src/integrations/status-reference';

/** Rewrites the accepted-statuses section of docs/webhooks.md from the integrations' status tables. */
const guide = path.join(__dirname, '..', 'docs', 'webhooks.md');
writeFileSync(guide, withStatusReference(readFileSync(guide, 'utf8')));
process.stdout.write(`updated the status table in ${path.relative(process.cwd(), guide)}\n`);
