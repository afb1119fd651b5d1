import { DriverException } from '@mikro-orm/core';
import { DatabaseError } from 'pg';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from './config';

function prettyAvailable(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/** What a database error may say in a log: PostgreSQL's fields naming the rule and where. */
const DATABASE_ERROR_FIELDS = [
  'code',
  'severity',
  'constraint',
  'table',
  'column',
  'dataType',
  'routine',
] as const;

type SerializedError = Record<string, unknown>;

const isDatabaseError = (error: Error): boolean =>
  error instanceof DriverException || error instanceof DatabaseError;

/**
 * A driver error's message is the SQL with its parameters written in (knex
 * puts them there) and its `detail` quotes the offending row: both may carry
 * a customer's phone or name. Such an error is logged by its SQLSTATE code,
 * constraint and table, and a stack of frames only.
 */
function serializeDatabaseError(error: Error): SerializedError {
  const fields = error as unknown as Record<string, unknown>;
  const type = error.constructor.name;
  const serialized: SerializedError = { type };
  for (const name of DATABASE_ERROR_FIELDS) {
    if (typeof fields[name] === 'string') serialized[name] = fields[name];
  }
  const message = `database error ${typeof fields.code === 'string' ? fields.code : '(no SQLSTATE)'}`;
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trim().startsWith('at '));
  return { ...serialized, message, stack: [`${type}: ${message}`, ...frames].join('\n') };
}

/** The error a wrapper was made from: `cause`, or a GraphQLError's `originalError`. */
function innerError(error: Error): unknown {
  return error.cause ?? (error as { originalError?: unknown }).originalError;
}

function databaseErrorWithin(error: Error): Error | undefined {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 10; depth += 1) {
    if (isDatabaseError(current)) return current;
    current = innerError(current);
  }
  return undefined;
}

/**
 * pino's error serializer, except that database errors lose their SQL, also
 * where they are the cause of another error or its message was copied into
 * a wrapper (a GraphQLError repeats its original's message).
 */
function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const database = databaseErrorWithin(error);
  if (!database) return pino.stdSerializers.err(error);
  const safe = serializeDatabaseError(database);
  if (database === error) return safe;
  const scrub = (text: string | undefined) =>
    (text ?? '').split(database.message).join(String(safe.message));
  return {
    type: error.constructor.name,
    message: scrub(error.message),
    stack: scrub(error.stack),
    cause: safe,
  };
}

export function createLogger(
  config: Pick<Config, 'env' | 'logLevel'>,
  /** Where lines go instead of stdout (tests read them). */
  destination?: DestinationStream,
): Logger {
  const pretty =
    !destination && config.env === 'development' && process.stdout.isTTY && prettyAvailable();
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: undefined,
    redact: ['req.headers.authorization', 'req.headers["x-api-key"]'],
    serializers: { err: serializeError },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } }
      : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}
