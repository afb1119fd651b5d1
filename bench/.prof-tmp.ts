import { writeFileSync } from 'node:fs';
import { Pool } from 'pg';
import { createTokenService } from '../src/auth/tokens';
import { PAGE_QUERIES, PAGE_SIZE, type PageName } from './baseline/queries';
async function main() {
  const [secret, email, page] = process.argv.slice(2) as [string, string, PageName];
  const pool = new Pool({ connectionString: process.env.DATABASE_URL });
  const { rows } = await pool.query('select id, session_version from app_user where email=$1', [email]);
  const tok = createTokenService(secret, 36000).sign(rows[0].id, rows[0].session_version).token;
  let variables: Record<string, unknown> = { first: PAGE_SIZE };
  if (page === 'ticket') { const r = await pool.query('select id from ticket order by created_at desc limit 1'); variables = { id: r.rows[0].id }; }
  writeFileSync('/tmp/prof/body.json', JSON.stringify({ query: PAGE_QUERIES[page], variables }));
  writeFileSync('/tmp/prof/auth.txt', `Bearer ${tok}`);
  await pool.end();
}
void main();
