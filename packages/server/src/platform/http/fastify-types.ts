import type { Permission } from '@opsline/contracts';
import type { AuditDraft } from '../audit/audit.service.js';
import type { MutationContext } from '../audit/mutation.js';
import type { Principal } from '../auth/principal.js';

/** Who may call a route: anyone, any signed-in user (self-service), or holders of a permission. */
export type RouteAccess = 'public' | 'authenticated' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every /api route; checked when the route is registered. */
    access?: RouteAccess;
    /**
     * Where the node of a node-scoped permission comes from: the permission is
     * then also granted by a role on that node or above it. Checked after
     * validation; before it, the caller must hold the permission somewhere.
     */
    scope?: { from: 'params' | 'body' | 'query'; key: string };
    /**
     * The handler itself narrows what it answers to the caller's grants (a
     * list of what they may see): the gate only asks that they hold the
     * permission somewhere.
     */
    filtered?: true;
    /** The audit action of a mutating route (`user.create`); required on every POST/PUT/PATCH/DELETE under /api. */
    audit?: string;
  }
  interface FastifyInstance {
    /** Every /api route with its declared access and audit action. */
    apiRoutes: { method: string; url: string; access: string; audit: string | null }[];
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** What the change did, filled in by services; also used for the failure record. */
    auditDraft: AuditDraft;
    auditDone: boolean;
    /** Who to name in the audit record when there is no principal (a failed sign-in names the username tried). */
    auditActor: { id: string | null; name: string } | null;
    errorCode: string | null;
    /** Run a change, its audit record and its events in one transaction. */
    mutate<T>(fn: (ctx: MutationContext) => Promise<T>): Promise<T>;
    /** The access check passed on a global grant (so a node-scoped route need not look further). */
    globallyAllowed: boolean;
    /** The signed-in caller; routes past the access check always have one. */
    caller(): Principal;
  }
}
