import type { FastifyBaseLogger } from 'fastify';
import type { CreatedToken, ErrorCode, TokenView } from '@opsline/contracts';
import type { Clock } from '../clock.js';
import { DAY, HOUR, MINUTE } from '../clock.js';
import type { Db } from '../db/db.js';
import { uuidv7 } from '../ids.js';
import { AppError } from '../errors/app-error.js';
import type { MutationContext } from '../audit/mutation.js';
import { credentialsRepo, type ApiTokenRow } from './credentials.repo.js';
import type { Principal } from './principal.js';
import { API_TOKEN_PREFIX, SESSION_PREFIX, hashToken, newToken } from './token-codec.js';
import { TtlCache } from './ttl-cache.js';

interface CachedCredential {
  kind: 'session' | 'token';
  id: string;
  userId: string;
  username: string;
  active: boolean;
  csrfToken: string | null;
  expiresAt: number | null;
  lastSeen: number;
  /** When last_seen_at/last_used_at was last written, so writes happen at most once a minute. */
  persistedSeen: number;
}

export type Resolution = { principal: Principal } | { error: ErrorCode };

export interface CredentialPolicy {
  sessionIdleMinutes: number;
  sessionMaxHours: number;
}

const TOUCH_EVERY_MS = MINUTE;

/** Sessions and API tokens: issue, resolve (cached), end. */
export function createCredentialService(deps: { db: Db; clock: Clock; policy: CredentialPolicy; log: FastifyBaseLogger }) {
  const { db, clock, policy, log } = deps;
  const cache = new TtlCache<CachedCredential>(10_000);
  const idleMs = policy.sessionIdleMinutes * MINUTE;
  const maxMs = policy.sessionMaxHours * HOUR;

  async function load(token: string, tokenHash: string): Promise<CachedCredential | undefined> {
    if (token.startsWith(SESSION_PREFIX)) {
      const row = await credentialsRepo.sessionByHash(db, tokenHash);
      if (!row) return undefined;
      const s = row.session;
      return {
        kind: 'session', id: s.id, userId: s.userId, username: row.username, active: row.status === 'active',
        csrfToken: s.csrfToken, expiresAt: s.expiresAt.getTime(), lastSeen: s.lastSeenAt.getTime(), persistedSeen: s.lastSeenAt.getTime(),
      };
    }
    if (token.startsWith(API_TOKEN_PREFIX)) {
      const row = await credentialsRepo.tokenByHash(db, tokenHash);
      if (!row) return undefined;
      const t = row.token;
      const used = t.lastUsedAt?.getTime() ?? 0;
      return {
        kind: 'token', id: t.id, userId: t.userId, username: row.username, active: row.status === 'active',
        csrfToken: null, expiresAt: t.expiresAt?.getTime() ?? null, lastSeen: used, persistedSeen: used,
      };
    }
    return undefined;
  }

  function persistSeen(c: CachedCredential, now: number): void {
    if (now - c.persistedSeen < TOUCH_EVERY_MS) return;
    c.persistedSeen = now;
    const at = new Date(now);
    const write = c.kind === 'session' ? credentialsRepo.touchSession(db, c.id, at) : credentialsRepo.touchToken(db, c.id, at);
    write.catch((err: unknown) => log.warn({ err }, 'could not record credential use'));
  }

  async function expire(c: CachedCredential, tokenHash: string): Promise<void> {
    cache.delete(tokenHash);
    if (c.kind === 'session') await credentialsRepo.deleteSession(db, c.id);
  }

  return {
    async resolve(token: string): Promise<Resolution> {
      if (token.length > 200) return { error: 'AUTH_TOKEN_INVALID' };
      const tokenHash = hashToken(token);
      let c = cache.get(tokenHash);
      if (!c) {
        c = await load(token, tokenHash);
        if (!c) return { error: 'AUTH_TOKEN_INVALID' };
        cache.set(tokenHash, c);
      }
      const now = clock.now().getTime();
      if (c.expiresAt !== null && now >= c.expiresAt) {
        await expire(c, tokenHash);
        return { error: c.kind === 'session' ? 'AUTH_SESSION_EXPIRED' : 'AUTH_TOKEN_INVALID' };
      }
      if (c.kind === 'session' && now - c.lastSeen >= idleMs) {
        await expire(c, tokenHash);
        return { error: 'AUTH_SESSION_EXPIRED' };
      }
      if (!c.active) return { error: 'AUTH_USER_DISABLED' };
      c.lastSeen = now;
      persistSeen(c, now);
      return {
        principal: { userId: c.userId, username: c.username, authMethod: c.kind, credentialId: c.id, csrfToken: c.csrfToken },
      };
    },

    async startSession(tx: Db, user: { id: string }, meta: { ip: string; userAgent: string | null }) {
      const token = newToken(SESSION_PREFIX);
      const csrfToken = newToken('');
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + maxMs);
      await credentialsRepo.insertSession(tx, {
        id: uuidv7(now.getTime()), tokenHash: hashToken(token), userId: user.id, csrfToken,
        createdAt: now, lastSeenAt: now, expiresAt, ip: meta.ip, userAgent: meta.userAgent,
      });
      return { token, csrfToken, expiresAt };
    },

    /** Ends the session the token names (logout, or the old session at a new login). */
    async endSession(ctx: MutationContext, token: string): Promise<void> {
      const tokenHash = hashToken(token);
      await credentialsRepo.deleteSessionByHash(ctx.tx, tokenHash);
      ctx.onCommit(() => cache.delete(tokenHash));
    },

    /** Ends every session of a user but `exceptSessionId` (password change, disable, delete). */
    async endUserSessions(ctx: MutationContext, userId: string, exceptSessionId?: string): Promise<void> {
      await credentialsRepo.deleteUserSessions(ctx.tx, userId, exceptSessionId);
      ctx.onCommit(() => cache.deleteWhere((c) => c.userId === userId && c.kind === 'session' && c.id !== exceptSessionId));
    },

    /** Drop cached credentials of a user so a status change applies to the next request. */
    forgetUser(userId: string): void {
      cache.deleteWhere((c) => c.userId === userId);
    },

    async createToken(tx: Db, userId: string, name: string, expiresInDays?: number): Promise<CreatedToken> {
      const token = newToken(API_TOKEN_PREFIX);
      const now = clock.now();
      const row = await credentialsRepo.insertToken(tx, {
        id: uuidv7(now.getTime()), userId, name, tokenHash: hashToken(token), prefix: token.slice(0, 10), createdAt: now,
        expiresAt: expiresInDays ? new Date(now.getTime() + expiresInDays * DAY) : null,
      });
      return { ...tokenView(row), token };
    },

    async listTokens(userId: string): Promise<TokenView[]> {
      return (await credentialsRepo.listTokens(db, userId)).map(tokenView);
    },

    /** Revoke a token of `userId` (or of anyone when `any`): the row goes, and so does its cache entry. */
    async revokeToken(ctx: MutationContext, tokenId: string, userId: string, any: boolean): Promise<TokenView> {
      const row = await credentialsRepo.tokenById(ctx.tx, tokenId);
      if (!row || (!any && row.userId !== userId)) throw new AppError('TOKEN_NOT_FOUND');
      await credentialsRepo.deleteToken(ctx.tx, tokenId);
      ctx.onCommit(() => cache.deleteWhere((c) => c.kind === 'token' && c.id === tokenId));
      return tokenView(row);
    },

    /** Forget every cached credential: another server changed something (see the fan-out). */
    forgetAll(): void {
      cache.clear();
    },

    async sweepExpiredSessions(tx: Db): Promise<number> {
      const now = clock.now();
      return credentialsRepo.deleteExpiredSessions(tx, now, new Date(now.getTime() - idleMs));
    },
  };
}

export type CredentialService = ReturnType<typeof createCredentialService>;

function tokenView(row: ApiTokenRow): TokenView {
  return {
    id: row.id, name: row.name, prefix: row.prefix, userId: row.userId, createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null, lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}
