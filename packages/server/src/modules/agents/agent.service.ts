import type {
  AgentListQuery, AgentStatus, AgentView, CreateEnrollmentTokenBody, CreatedEnrollmentToken, EnrollmentTokenView, Page,
} from '@opsline/contracts';
import { Hostname } from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import type { Db } from '../../platform/db/db.js';
import type { AuditOrigin } from '../../platform/audit/audit.service.js';
import { hashToken, newToken, sameSecret } from '../../platform/auth/token-codec.js';
import { AppError } from '../../platform/errors/app-error.js';
import { decodeCursor, toPage } from '../../platform/http/cursor.js';
import { uuidv7 } from '../../platform/ids.js';
import type { PlatformServices } from '../../platform/services.js';
import type { AgentHostFacts, TreeModule } from '../tree/index.js';
import { agentRepo, type AgentRow, type TokenRow } from './agent.repo.js';

/** Enrollment tokens start `ole_`, agent secrets `ola_`. */
const TOKEN_PREFIX = 'ole_';
const SECRET_PREFIX = 'ola_';

/** Why an agent is turned away; the gRPC layer maps these to status codes. */
export class AgentRefused extends Error {
  constructor(
    readonly reason: 'token' | 'credential' | 'revoked',
    message: string,
  ) {
    super(message);
  }
}

export interface EnrollInput {
  token: string;
  /** The hash of the facts sent with enrolment, so the first Welcome does not ask for them again. */
  factsHash: string;
  machineId: string;
  version: string;
  facts: AgentHostFacts;
  peer: string;
  /** The agent's id for this enrollment (empty from agents that send none): a retry gets the same agent. */
  enrollmentId: string;
}

/** What an enrollment id may be: the agent sends a UUID. */
const ENROLLMENT_ID = /^[0-9a-f-]{36}$/i;

/** Silent this long, an agent counts as offline even if a server still claims its stream (that server may have died). */
export const ONLINE_WITHIN_MS = 75_000;

export function createAgentService(deps: { platform: PlatformServices; tree: TreeModule; serverId: string; grpcPort: () => number }) {
  const { platform, tree } = deps;
  const { db, clock } = platform;

  function tokenState(t: TokenRow): EnrollmentTokenView['state'] {
    if (t.uses >= t.maxUses) return 'used_up';
    return t.expiresAt.getTime() <= clock.now().getTime() ? 'expired' : 'active';
  }
  async function tokenViews(rows: TokenRow[], tx: Db = db): Promise<EnrollmentTokenView[]> {
    const out: EnrollmentTokenView[] = [];
    for (const t of rows) {
      const node = t.nodeId ? await tree.nodeInfo(t.nodeId, tx) : undefined;
      out.push({
        id: t.id, name: t.name, prefix: t.prefix, node: node ? { id: node.id, path: node.path } : null, maxUses: t.maxUses, uses: t.uses,
        expiresAt: t.expiresAt.toISOString(), createdBy: t.createdBy, createdAt: t.createdAt.toISOString(), state: tokenState(t),
      });
    }
    return out;
  }

  /**
   * The same enrollment again (its answer was lost to a deadline): the agent
   * it made gets a fresh secret — the old one may be in a lost answer — and
   * no further use of the token is counted. Only with the token that made it,
   * and only until the agent first connects: after that its identity is
   * settled and a replay is refused.
   */
  async function enrollAgain(ctx: MutationContext, row: AgentRow, input: EnrollInput, secret: string): Promise<{ agentId: string; secret: string; nodeId: string | null }> {
    const token = await agentRepo.tokenByHash(ctx.tx, hashToken(input.token));
    if (!token || token.id !== row.tokenId || row.revokedAt || row.connectedAt) {
      throw new AgentRefused('token', 'this enrollment was already completed: the agent holds its identity (or enroll again with a new token and an empty state dir)');
    }
    await agentRepo.updateAgent(ctx.tx, row.id, { secretHash: hashToken(secret), lastSeenAt: clock.now() });
    Object.assign(ctx.audit, { targetType: 'agent', targetId: row.id, after: { hostname: row.hostname, hostId: row.hostId, tokenId: token.id, repeated: true } });
    return { agentId: row.id, secret, nodeId: token.nodeId };
  }

  /** Online means some server holds its stream and heard from it lately (a stream closes after missed heartbeats). */
  const onlineSince = (): Date => new Date(clock.now().getTime() - ONLINE_WITHIN_MS);
  const status = (a: AgentRow): AgentStatus =>
    a.revokedAt ? 'revoked' : a.sessionServer && a.lastSeenAt && a.lastSeenAt >= onlineSince() ? 'online' : 'offline';
  const agentView = (a: AgentRow): AgentView => ({
    id: a.id, hostId: a.hostId, hostname: a.hostname, version: a.version, status: status(a), lastSeenAt: a.lastSeenAt?.toISOString() ?? null,
    enrolledAt: a.enrolledAt.toISOString(), revokedAt: a.revokedAt?.toISOString() ?? null, metrics: a.metrics ?? null,
  });

  /** Origin of changes an agent makes (enrolment): audited under the agent's name. */
  const agentOrigin = (hostname: string, peer: string, version: string): AuditOrigin => ({
    actorId: null, actorName: `agent ${hostname}`, sourceIp: peer, userAgent: `opsline-agent/${version}`, method: 'GRPC', path: '/opsline.agent.v1.AgentService/Enroll',
  });

  return {
    agentView,

    async createToken(ctx: MutationContext, body: CreateEnrollmentTokenBody, userId: string): Promise<CreatedEnrollmentToken> {
      if (body.nodeId) {
        const node = await tree.nodeInfo(body.nodeId, ctx.tx);
        if (!node) throw new AppError('TREE_NODE_NOT_FOUND', 'No such tree node', { issues: [{ field: 'body.nodeId', message: 'unknown node' }] });
        if (!node.isLeaf) throw new AppError('HOST_BIND_NOT_LEAF', `${node.path} is not a leaf node; hosts bind to leaves`, { issues: [{ field: 'body.nodeId', message: 'not a leaf' }] });
      }
      const token = newToken(TOKEN_PREFIX);
      const now = clock.now();
      const row = await agentRepo.insertToken(ctx.tx, {
        id: uuidv7(now.getTime()), name: body.name ?? '', tokenHash: hashToken(token), prefix: token.slice(0, 10), nodeId: body.nodeId ?? null,
        maxUses: body.maxUses, expiresAt: new Date(now.getTime() + body.expiresInSec * 1000), createdBy: userId, createdAt: now,
      });
      const [view] = await tokenViews([row], ctx.tx);
      if (!view) throw new Error('unreachable: one row, one view');
      Object.assign(ctx.audit, { targetType: 'enrollment_token', targetId: row.id, after: view });
      await ctx.emit('agent.enrollment_token.created', { tokenId: row.id, name: row.name }, {
        summary: `enrollment token ${row.prefix}… created (${row.maxUses} use(s))`, resourceType: 'enrollment_token', resourceId: row.id, nodeId: row.nodeId,
      });
      return { ...view, token, grpcPort: deps.grpcPort() };
    },

    async listTokens(q: { limit: number; cursor?: string | undefined }): Promise<Page<EnrollmentTokenView>> {
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      const rows = await agentRepo.listTokens(db, after, q.limit + 1);
      const page = toPage(rows, q.limit, (r) => r, (r) => r.id);
      return { items: await tokenViews(page.items), nextCursor: page.nextCursor };
    },

    async deleteToken(ctx: MutationContext, id: string): Promise<void> {
      const row = await agentRepo.tokenById(ctx.tx, id);
      if (!row) throw new AppError('ENROLLMENT_TOKEN_NOT_FOUND');
      Object.assign(ctx.audit, { targetType: 'enrollment_token', targetId: id, before: { name: row.name, prefix: row.prefix } });
      await agentRepo.deleteToken(ctx.tx, id);
      await ctx.emit('agent.enrollment_token.deleted', { tokenId: id, name: row.name }, {
        summary: `enrollment token ${row.prefix}… deleted`, resourceType: 'enrollment_token', resourceId: id,
      });
    },

    async list(q: AgentListQuery): Promise<Page<AgentView>> {
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      const rows = await agentRepo.listAgents(db, { q: q.q, status: q.status, onlineSince: onlineSince() }, after, q.limit + 1);
      return toPage(rows, q.limit, agentView, (r) => `${r.hostname}\u0000${r.id}`);
    },

    counts: () => agentRepo.counts(db, onlineSince()),

    async get(id: string): Promise<AgentView> {
      const row = await agentRepo.agentById(db, id);
      if (!row) throw new AppError('AGENT_NOT_FOUND');
      return agentView(row);
    },

    async revoke(ctx: MutationContext, id: string): Promise<AgentView> {
      const row = await agentRepo.agentById(ctx.tx, id);
      if (!row) throw new AppError('AGENT_NOT_FOUND');
      if (row.revokedAt) return agentView(row);
      const now = clock.now();
      await agentRepo.updateAgent(ctx.tx, id, { revokedAt: now });
      const after = agentView({ ...row, revokedAt: now });
      Object.assign(ctx.audit, { targetType: 'agent', targetId: id, before: agentView(row), after });
      await ctx.emit('agent.revoked', { agentId: id, hostname: row.hostname }, {
        summary: `agent on ${row.hostname} revoked`, severity: 'warning', resourceType: 'agent', resourceId: id,
      });
      return after;
    },

    /**
     * Trades a live enrollment token for a new identity: the host enters the
     * CMDB (or is updated), and a fresh agent id and secret are made — an agent
     * re-enrolling under a deleted or revoked agent's hostname gets none of its
     * old identity.
     */
    async enroll(input: EnrollInput): Promise<{ agentId: string; secret: string; nodeId: string | null }> {
      const parsed = Hostname.safeParse(input.facts.hostname);
      if (!parsed.success) throw new AgentRefused('token', `hostname "${input.facts.hostname}" is not a valid host name`);
      const hostname = parsed.data;
      const secret = newToken(SECRET_PREFIX);
      return platform.mutations({ action: 'agent.enroll', origin: agentOrigin(hostname, input.peer, input.version), draft: { targetType: 'agent', targetId: null, before: null, after: null } }, async (ctx) => {
        const now = clock.now();
        const enrollmentId = ENROLLMENT_ID.test(input.enrollmentId) ? input.enrollmentId.toLowerCase() : null;
        const repeat = enrollmentId ? await agentRepo.agentByEnrollmentId(ctx.tx, enrollmentId) : undefined;
        if (repeat) return enrollAgain(ctx, repeat, input, secret);
        const token = await agentRepo.redeemToken(ctx.tx, hashToken(input.token), now);
        if (!token) throw new AgentRefused('token', 'the enrollment token is unknown, expired or used up');
        const hostId = await tree.recordAgentHost(ctx, { ...input.facts, hostname }, token.nodeId);
        const id = uuidv7(now.getTime());
        await agentRepo.insertAgent(ctx.tx, {
          id, hostId, hostname, machineId: input.machineId, secretHash: hashToken(secret), version: input.version, factsHash: input.factsHash, tokenId: token.id,
          enrollmentId, enrolledAt: now, lastSeenAt: now,
        });
        Object.assign(ctx.audit, { targetType: 'agent', targetId: id, after: { hostname, hostId, tokenId: token.id, version: input.version } });
        await ctx.emit('agent.enrolled', { agentId: id, hostId, hostname }, {
          summary: `agent enrolled on ${hostname}`, resourceType: 'agent', resourceId: id, nodeId: token.nodeId,
        });
        return { agentId: id, secret, nodeId: token.nodeId };
      });
    },

    /** Checks an agent's Hello: its id and secret, and that it is not revoked. */
    async authenticate(agentId: string, secret: string): Promise<AgentRow> {
      const row = /^[0-9a-f-]{36}$/i.test(agentId) ? await agentRepo.agentById(db, agentId) : undefined;
      if (!row || !sameSecret(hashToken(secret), row.secretHash)) throw new AgentRefused('credential', 'unknown agent or wrong secret: enroll again');
      if (row.revokedAt) throw new AgentRefused('revoked', 'this agent was revoked by an administrator: enroll again with a new token');
      return row;
    },

    /** A Hello: its stream is on this server, the version it runs, and (the first time) that its enrollment is settled. */
    async connected(agent: AgentRow, version: string): Promise<void> {
      const now = clock.now();
      await agentRepo.updateAgent(db, agent.id, { lastSeenAt: now, version, sessionServer: deps.serverId, ...(!agent.connectedAt && { connectedAt: now }) });
    },

    /** Its stream on this server closed (unless it has moved to another server meanwhile). */
    async disconnected(agentId: string): Promise<void> {
      await agentRepo.releaseSession(db, agentId, deps.serverId);
    },

    /** New facts from a connected agent: into the CMDB, and remember their hash. */
    async facts(agent: AgentRow, facts: AgentHostFacts, hash: string): Promise<void> {
      const hostname = Hostname.safeParse(facts.hostname);
      if (!hostname.success) return;
      await platform.mutations(
        { action: 'agent.facts', origin: agentOrigin(agent.hostname, 'agent', agent.version), draft: { targetType: 'host', targetId: agent.hostId, before: null, after: null } },
        async (ctx) => {
          const hostId = await tree.recordAgentHost(ctx, { ...facts, hostname: hostname.data }, null);
          await agentRepo.updateAgent(ctx.tx, agent.id, { factsHash: hash, hostId, hostname: hostname.data, lastSeenAt: clock.now() });
        },
      );
    },
  };
}

export type AgentService = ReturnType<typeof createAgentService>;
