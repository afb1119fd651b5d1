/**
 * Creates a user straight in the database: the way in to a deployment where
 * nobody can sign in yet. `npm run user:create -- --email ... --role ...`
 * from a checkout, `node dist/cli/user-create.js ...` in the image.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { ConfigError, loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { Branch } from '../entities';
import type { Role } from '../entities/enums';
import { branchService, cleanBranchCode } from '../services/branches/branch.service';
import { DomainError } from '../kernel/errors';
import {
  assertPasswordStrength,
  assertUserRole,
  cleanEmail,
  generatePassword,
  USER_ROLES,
} from '../services/users/user-rules';
import { userService } from '../services/users/user.service';
import { reportFailure } from './command-failure';

export const USAGE = `Usage: npm run user:create -- --email <e-mail> --role <ROLE> [--branch <code>] [--name <full name>] [--password-stdin]
       (in the Docker image: node dist/cli/user-create.js --email ... --role ...)

  --email           the sign-in e-mail (stored in lower case)
  --role            one of ${USER_ROLES.join(', ')}
  --branch          the code of the branch the user works for; created (named as its code) when
                    it does not exist yet
  --name            the full name (default: the e-mail's part before @)
  --password-stdin  read the password from standard input (at least 10 characters) instead of
                    printing a generated one

Uses DATABASE_URL, or the embedded PostgreSQL under DATA_DIR (./.data), also while npm start runs.`;

/** The command's own command line, so the start-up log can tell people what to type. */
export const userCreateCommand = (compiled: boolean): string =>
  compiled
    ? 'node dist/cli/user-create.js --email you@example.com --role ADMIN --branch HQ'
    : 'npm run user:create -- --email you@example.com --role ADMIN --branch HQ';

class UsageError extends Error {}

export type UserCreateIo = {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdin: AsyncIterable<Buffer | string>;
  out: (line: string) => void;
};

async function readAll(stream: AsyncIterable<Buffer | string>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  // One trailing newline is how `echo` and here-strings end; it is not part of the password.
  return text.replace(/\r?\n$/, '');
}

/** Runs the command; resolves with the exit code. */
export async function userCreate(io: UserCreateIo): Promise<number> {
  const { values } = parseArgs({
    args: io.argv,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      branch: { type: 'string' },
      name: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (!values.email || !values.role) throw new UsageError('--email and --role are required');
  // Checked before anything is opened or written.
  const email = cleanEmail(values.email);
  const role = assertUserRole(values.role.trim().toUpperCase() as Role);
  const branchCode = values.branch === undefined ? undefined : cleanBranchCode(values.branch);
  const generated = !values['password-stdin'];
  const password = generated
    ? generatePassword()
    : assertPasswordStrength(await readAll(io.stdin), 'password');

  const config = loadConfig(io.env);
  // Logs go to stderr: stdout carries only what the operator needs to read.
  const logger = pino({ level: config.logLevel, base: undefined }, pino.destination(2));
  const db = await openDatabase(config, logger, { attach: true });
  try {
    const result = await db.orm.em.fork().transactional(async (em) => {
      const scope = { em, viewer: null };
      // A taken e-mail is refused by userService.create; the transaction then
      // takes back the branch made for it, so a refusal changes nothing.
      let branch = branchCode ? await em.findOne(Branch, { code: branchCode }) : null;
      const branchCreated = branchCode !== undefined && branch === null;
      if (branchCreated) {
        branch = await branchService.create(scope, { code: branchCode, name: branchCode });
      }
      const { user } = await userService.create(scope, {
        email,
        fullName: values.name?.trim() || email.split('@')[0]!,
        role,
        branchIds: branch ? [branch.id] : [],
        password,
      });
      return { user, branch, branchCreated };
    });
    const { user, branch, branchCreated } = result;
    if (branchCreated && branch) {
      io.out(
        `Created branch ${branch.code} (named "${branch.name}"; rename it with the updateBranch mutation).`,
      );
    }
    io.out(
      `Created user ${user.email} (${user.role}${branch ? `, branch ${branch.code}` : ''}) in ${db.description}.`,
    );
    if (generated) {
      io.out(`Password: ${password}`);
      io.out('Shown this once: sign in with it, then change it with the changePassword mutation.');
    }
    return 0;
  } finally {
    await db.close();
  }
}

/** The process entry: prints what went wrong as one line a person can act on. */
export async function main(): Promise<void> {
  try {
    process.exitCode = await userCreate({
      argv: process.argv.slice(2),
      env: process.env,
      stdin: process.stdin,
      out: (line) => process.stdout.write(`${line}\n`),
    });
  } catch (error) {
    const known =
      error instanceof DomainError || error instanceof UsageError || error instanceof ConfigError;
    const usage = error instanceof UsageError ? `\n\n${USAGE}` : '';
    reportFailure('user:create', error, known, `; nothing was changed${usage}`);
  }
}

if (require.main === module) void main();
