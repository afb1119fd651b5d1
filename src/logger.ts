import pino, { type Logger } from 'pino';
import type { Config } from './config';

function prettyAvailable(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

export function createLogger(config: Pick<Config, 'env' | 'logLevel'>): Logger {
  const pretty = config.env === 'development' && process.stdout.isTTY && prettyAvailable();
  return pino({
    level: config.logLevel,
    base: undefined,
    redact: ['req.headers.authorization', 'req.headers["x-api-key"]'],
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } }
      : {}),
  });
}
