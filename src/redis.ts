import type * as IORedis from 'ioredis';
import type { Redis, RedisOptions } from 'ioredis';

/**
 * A Redis client. ioredis (about 2.5 MB of heap) is loaded by the first call,
 * so a process without REDIS_URL never loads it.
 */
export function connectRedis(url: string, options: RedisOptions): Redis {
  // require, not import(): callers build their clients synchronously, and jest
  // keeps import() native, which its module sandbox cannot run.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Redis: Client } = require('ioredis') as typeof IORedis;
  return new Client(url, options);
}
