import { eq, inArray } from 'drizzle-orm';
import type { SetSshCredentialBody, SshCredentialView } from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import type { Db } from '../../platform/db/db.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { PlatformServices } from '../../platform/services.js';
import { hostSshCredentials } from './agent.tables.js';
import type { SshTarget } from './ssh-executor.js';

type Row = typeof hostSshCredentials.$inferSelect;
const SEAL_CONTEXT = 'host_ssh_credentials.secret';

const view = (r: Row): SshCredentialView => ({
  hostId: r.hostId, username: r.username, port: r.port, address: r.address, authMethod: r.authMethod as SshCredentialView['authMethod'],
  hostKeySha256: r.hostKeySha256, updatedAt: r.updatedAt.toISOString(),
});

/** How agentless hosts are reached: one SSH credential per host, its secret sealed at rest and never answered. */
export function createSshCredentialService(deps: { platform: PlatformServices }) {
  const { db, clock, box } = deps.platform;

  return {
    async get(hostId: string): Promise<SshCredentialView> {
      const [row] = await db.select().from(hostSshCredentials).where(eq(hostSshCredentials.hostId, hostId)).limit(1);
      if (!row) throw new AppError('NOT_FOUND', 'This host has no SSH credential');
      return view(row);
    },

    async set(ctx: MutationContext, host: { id: string; hostname: string }, body: SetSshCredentialBody, userId: string): Promise<SshCredentialView> {
      const secret = body.password !== undefined ? { password: body.password } : { privateKey: body.privateKey, passphrase: body.passphrase };
      const row: Row = {
        hostId: host.id, username: body.username, port: body.port, address: body.address ?? null, authMethod: body.password !== undefined ? 'password' : 'key',
        sealedSecret: box.seal(JSON.stringify(secret), SEAL_CONTEXT), hostKeySha256: body.hostKeySha256 ?? null, updatedBy: userId, updatedAt: clock.now(),
      };
      const [before] = await ctx.tx.select().from(hostSshCredentials).where(eq(hostSshCredentials.hostId, host.id)).limit(1);
      await ctx.tx.insert(hostSshCredentials).values(row).onConflictDoUpdate({ target: hostSshCredentials.hostId, set: row });
      Object.assign(ctx.audit, { targetType: 'host', targetId: host.id, before: before ? view(before) : null, after: view(row) });
      await ctx.emit('host.ssh_credential.set', { hostId: host.id, hostname: host.hostname, username: body.username }, {
        summary: `SSH credential of ${host.hostname} set (${row.authMethod}, user ${body.username})`, resourceType: 'host', resourceId: host.id,
      });
      return view(row);
    },

    async remove(ctx: MutationContext, host: { id: string; hostname: string }): Promise<void> {
      const rows = await ctx.tx.delete(hostSshCredentials).where(eq(hostSshCredentials.hostId, host.id)).returning();
      const [gone] = rows;
      if (!gone) throw new AppError('NOT_FOUND', 'This host has no SSH credential');
      Object.assign(ctx.audit, { targetType: 'host', targetId: host.id, before: view(gone) });
      await ctx.emit('host.ssh_credential.deleted', { hostId: host.id, hostname: host.hostname }, {
        summary: `SSH credential of ${host.hostname} removed`, resourceType: 'host', resourceId: host.id,
      });
    },

    /** Hosts among `hostIds` that have a credential. */
    async hostsWithCredential(hostIds: string[], tx: Db = db): Promise<Set<string>> {
      if (!hostIds.length) return new Set();
      const rows = await tx.select({ hostId: hostSshCredentials.hostId }).from(hostSshCredentials).where(inArray(hostSshCredentials.hostId, hostIds));
      return new Set(rows.map((r) => r.hostId));
    },

    /** What the SSH executor dials for a host (the secret opened only here, for the run). */
    async target(hostId: string, fallbackAddress: string | undefined): Promise<SshTarget | undefined> {
      const [row] = await db.select().from(hostSshCredentials).where(eq(hostSshCredentials.hostId, hostId)).limit(1);
      const address = row?.address ?? fallbackAddress;
      if (!row || !address) return undefined;
      const secret = JSON.parse(box.open(row.sealedSecret, SEAL_CONTEXT)) as { password?: string; privateKey?: string; passphrase?: string };
      return { host: address, port: row.port, username: row.username, ...secret, ...(row.hostKeySha256 && { hostKeySha256: row.hostKeySha256 }) };
    },
  };
}

export type SshCredentialService = ReturnType<typeof createSshCredentialService>;
