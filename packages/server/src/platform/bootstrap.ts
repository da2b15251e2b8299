import { randomBytes } from 'node:crypto';
import type { PlatformServices } from './services.js';
import { emptyDraft } from './audit/audit.service.js';
import { inTransaction } from './db/tx.js';

const SYSTEM_ORIGIN = { actorId: null, actorName: 'system', sourceIp: '127.0.0.1', userAgent: null, method: 'SYSTEM', path: 'bootstrap' };

/**
 * Built-in roles are refreshed at every start; on an empty database the first
 * administrator is created. Returns the generated password, which the caller
 * prints once (it is never logged).
 */
export async function bootstrapPlatform(s: PlatformServices): Promise<{ adminCreated: boolean; generatedPassword: string | null }> {
  await inTransaction(s.db, (tx) => s.rbac.seedBuiltinRoles(tx));
  if ((await s.users.count()) > 0) return { adminCreated: false, generatedPassword: null };
  const generated = s.config.adminPassword ? null : randomBytes(12).toString('base64url');
  const password = s.config.adminPassword ?? generated ?? '';
  await s.mutations({ action: 'user.create', origin: SYSTEM_ORIGIN, draft: emptyDraft() }, (ctx) =>
    s.users.create(ctx, { username: 'admin', password, displayName: 'Administrator', roles: ['admin'] }),
  );
  return { adminCreated: true, generatedPassword: generated };
}
