/**
 * Re-encrypts every stored platform secret under CREDENTIALS_KEY: after a
 * key change (the old key listed in CREDENTIALS_PREVIOUS_KEYS until this has
 * run), and for plain text left from before encryption. Safe to run while
 * the API serves and to run again. `npm run credentials:rotate` from a
 * checkout, `node dist/cli/credentials-rotate.js` in the image.
 */
import 'reflect-metadata';
import pino from 'pino';
import { ConfigError, loadConfig } from '../config';
import { CredentialKeyError } from '../db/credential-cipher';
import { openDatabase } from '../db/database';
import { reportFailure } from './command-failure';
import { sealStoredCredentials } from '../services/channels/credential-rotation.service';

export type CredentialsRotateIo = { env: NodeJS.ProcessEnv; out: (line: string) => void };

export async function credentialsRotate(io: CredentialsRotateIo): Promise<number> {
  const config = loadConfig(io.env);
  const logger = pino({ level: config.logLevel, base: undefined }, pino.destination(2));
  const db = await openDatabase(config, logger, { attach: true });
  try {
    const run = await sealStoredCredentials(db.orm, db.credentialsKeyring);
    io.out(
      `Sealed ${run.valuesSealed} secret(s) in ${run.rowsChecked} row(s) under key ${db.credentialsKeyring.current.id} in ${db.description}.`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

export async function main(): Promise<void> {
  try {
    process.exitCode = await credentialsRotate({
      env: process.env,
      out: (line) => process.stdout.write(`${line}\n`),
    });
  } catch (error) {
    // Nothing to undo: each row is re-sealed in its own transaction, so the ones done stay
    // done and running again finishes.
    const known = error instanceof ConfigError || error instanceof CredentialKeyError;
    reportFailure('credentials:rotate', error, known);
  }
}

if (require.main === module) void main();
