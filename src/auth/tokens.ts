import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';

export type TokenService = {
  sign: (userId: string) => { token: string; expiresAt: Date };
  /** The user id of a valid token, or null for a bad, expired or foreign one. */
  verify: (token: string) => string | null;
};

const ISSUER = 'omnichannel-crm';

export function createTokenService(secret: string, ttlSeconds: number): TokenService {
  // One KeyObject for the process: jsonwebtoken would otherwise build one per verify.
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  return {
    sign: (userId) => {
      const token = jwt.sign({}, key, {
        algorithm: 'HS256',
        subject: userId,
        issuer: ISSUER,
        expiresIn: ttlSeconds,
      });
      return { token, expiresAt: new Date(Date.now() + ttlSeconds * 1000) };
    },
    verify: (token) => {
      try {
        const payload = jwt.verify(token, key, { algorithms: ['HS256'], issuer: ISSUER });
        return typeof payload === 'object' && typeof payload.sub === 'string' ? payload.sub : null;
      } catch {
        return null;
      }
    },
  };
}
