import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';

/** Whose session a valid token is, and which of their session versions signed it. */
export type TokenSubject = { userId: string; sessionVersion: number };

export type TokenService = {
  /** `sessionVersion`: the user's current one; a token of an older version is refused. */
  sign: (userId: string, sessionVersion?: number) => { token: string; expiresAt: Date };
  /** The subject of a valid token, or null for a bad, expired or foreign one. */
  verify: (token: string) => TokenSubject | null;
};

const ISSUER = 'omnichannel-crm';

export function createTokenService(secret: string, ttlSeconds: number): TokenService {
  // One KeyObject for the process: jsonwebtoken would otherwise build one per verify.
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  return {
    sign: (userId, sessionVersion = 0) => {
      const token = jwt.sign({ sv: sessionVersion }, key, {
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
        if (typeof payload !== 'object' || typeof payload.sub !== 'string') return null;
        // Tokens signed before session versions existed are of version 0.
        const sv: unknown = payload.sv ?? 0;
        return Number.isInteger(sv) ? { userId: payload.sub, sessionVersion: sv as number } : null;
      } catch {
        return null;
      }
    },
  };
}
