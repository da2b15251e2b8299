import type {
  CreateScriptBody, Page, PageQuery, ScriptLanguage, ScriptListQuery, ScriptParam, ScriptVersionView, ScriptView, UpdateScriptBody,
} from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import type { Db } from '../../platform/db/db.js';
import { AppError } from '../../platform/errors/app-error.js';
import { decodeCursor, toPage, toPageBatch } from '../../platform/http/cursor.js';
import { uuidv7 } from '../../platform/ids.js';
import type { PlatformServices } from '../../platform/services.js';
import type { TreeModule } from '../tree/index.js';
import { scriptRepo, type ScriptVersionRow, type ScriptWithLatest } from './scripts.repo.js';

type NodeRef = { id: string; path: string };

const forbidden = (permission: string, where: string): AppError =>
  new AppError('FORBIDDEN', `You lack the permission ${permission} on ${where}`, { permission });
const nameTaken = (name: string): AppError =>
  new AppError('SCRIPT_NAME_TAKEN', `A script named ${name} already exists`, { issues: [{ field: 'body.name', message: 'already taken' }] });
const unknownNode = (nodeId: string): AppError =>
  new AppError('TREE_NODE_NOT_FOUND', `No such tree node: ${nodeId}`, { issues: [{ field: 'body.nodeId', message: 'unknown node' }] });

/** A unique index said no (two servers saving the same name at once), however the driver wrapped it. */
const isUniqueViolation = (err: unknown): boolean =>
  [err, (err as { cause?: unknown } | null)?.cause].some((e) => (e as { code?: unknown } | null)?.code === '23505');

/** Parameters compared by value: jsonb hands keys back in its own order. */
const paramsKey = (ps: ScriptParam[]): string =>
  JSON.stringify(ps.map((p) => [p.name, p.type, p.description ?? null, p.default ?? null, p.required, p.secret, p.options ?? null]));

const versionView = (v: ScriptVersionRow): ScriptVersionView => ({
  version: v.version, content: v.content, params: v.params, language: v.language as ScriptLanguage, message: v.message,
  createdBy: v.createdBy, createdAt: v.createdAt.toISOString(),
});

/** What the audit log keeps of a script: everything but the content, which its versions hold. */
const auditView = ({ content, ...rest }: ScriptView) => ({ ...rest, contentLength: content.length });

/** The script library: scripts bound to tree nodes (or global), every save of content or parameters a new version. */
export function createScriptService(deps: { platform: PlatformServices; tree: TreeModule }) {
  const { tree } = deps;
  const { db, clock, rbac } = deps.platform;

  /** Node paths for views, looked up once per node. */
  function nodeRefs(tx: Db): (nodeId: string | null) => Promise<NodeRef | null> {
    const seen = new Map<string, Promise<NodeRef | null>>();
    return (nodeId) => {
      if (!nodeId) return Promise.resolve(null);
      let ref = seen.get(nodeId);
      if (!ref) {
        ref = tree.nodeInfo(nodeId, tx).then((n) => (n ? { id: n.id, path: n.path } : null));
        seen.set(nodeId, ref);
      }
      return ref;
    };
  }

  async function views(rows: ScriptWithLatest[], tx: Db = db): Promise<ScriptView[]> {
    const nodeOf = nodeRefs(tx);
    const out: ScriptView[] = [];
    for (const r of rows) {
      out.push({
        id: r.id, name: r.name, language: r.language as ScriptLanguage, description: r.description, node: await nodeOf(r.nodeId),
        version: r.version, content: r.content, params: r.params, createdBy: r.createdBy,
        createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
      });
    }
    return out;
  }
  async function view(row: ScriptWithLatest, tx: Db = db): Promise<ScriptView> {
    const [v] = await views([row], tx);
    if (!v) throw new Error('unreachable: one row, one view');
    return v;
  }

  async function requireScript(tx: Db, id: string, lock = false): Promise<ScriptWithLatest> {
    const row = await scriptRepo.byId(tx, id, lock);
    if (!row) throw new AppError('SCRIPT_NOT_FOUND');
    return row;
  }

  /** The user holds `permission` on the node (a global script: globally); else a 403 naming it. */
  async function requireOn(userId: string, permission: string, nodeId: string | null): Promise<void> {
    if (await rbac.can(userId, permission, nodeId ?? undefined)) return;
    const where = nodeId ? ((await tree.nodeInfo(nodeId))?.path ?? 'that node') : 'global scripts (they need a global grant)';
    throw forbidden(permission, where);
  }

  async function readable(id: string, userId: string): Promise<ScriptWithLatest> {
    const row = await requireScript(db, id);
    await requireOn(userId, 'script:read', row.nodeId);
    return row;
  }

  async function requireFreeName(tx: Db, name: string, self?: string): Promise<void> {
    const taken = await scriptRepo.byName(tx, name);
    if (taken && taken.id !== self) throw nameTaken(name);
  }

  /** Runs a write that may hit the name's unique index. */
  async function naming<T>(name: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(name);
      throw err;
    }
  }

  return {
    views,

    async list(q: ScriptListQuery, userId: string): Promise<Page<ScriptView>> {
      const granted = await rbac.grantedNodes(userId, 'script:read');
      if (q.nodeId && granted !== 'all') await requireOn(userId, 'script:read', q.nodeId);
      const visibleNodeIds = granted === 'all' ? undefined : await tree.subtreeIds(granted);
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      const rows = await scriptRepo.list(db, { nodeId: q.nodeId, q: q.q, language: q.language, ...(visibleNodeIds && { visibleNodeIds }) }, after, q.limit + 1);
      return toPageBatch(rows, q.limit, (kept) => views(kept), (r) => r.name);
    },

    async get(id: string, userId: string): Promise<ScriptView> {
      return view(await readable(id, userId));
    },

    async versions(id: string, q: PageQuery, userId: string): Promise<Page<ScriptVersionView>> {
      await readable(id, userId);
      const before = q.cursor ? decodeCursor(q.cursor, 'number') : undefined;
      return toPage(await scriptRepo.versions(db, id, before, q.limit + 1), q.limit, versionView, (v) => v.version);
    },

    async version(id: string, version: number, userId: string): Promise<ScriptVersionView> {
      await readable(id, userId);
      const row = await scriptRepo.version(db, id, version);
      if (!row) throw new AppError('SCRIPT_VERSION_NOT_FOUND', `The script has no version ${version}`);
      return versionView(row);
    },

    /** A version (the latest without `version`) for the job center; undefined when there is none. */
    async resolve(scriptId: string, version?: number) {
      const row = await scriptRepo.byId(db, scriptId);
      if (!row) return undefined;
      const v = version === undefined || version === row.version ? row : await scriptRepo.version(db, scriptId, version);
      if (!v) return undefined;
      return {
        scriptId, name: row.name, nodeId: row.nodeId, version: version ?? row.version, language: v.language as ScriptLanguage,
        content: v.content, params: v.params,
      };
    },

    /**
     * Before a change (outside its transaction): the user may write the script
     * where it is and, when the change moves it, where it goes. Answers the
     * node checked, which the change confirms under its row lock.
     */
    async authorizeChange(id: string, userId: string, to?: string | null): Promise<string | null> {
      const row = await requireScript(db, id);
      await requireOn(userId, 'script:write', row.nodeId);
      if (to !== undefined && to !== row.nodeId) await requireOn(userId, 'script:write', to);
      return row.nodeId;
    },

    /** Creates a script at version 1 (the route checked script:write on its node). */
    async create(ctx: MutationContext, body: CreateScriptBody): Promise<ScriptView> {
      const nodeId = body.nodeId ?? null;
      if (nodeId && !(await tree.nodeInfo(nodeId, ctx.tx))) throw unknownNode(nodeId);
      await requireFreeName(ctx.tx, body.name);
      const now = clock.now();
      const id = uuidv7(now.getTime());
      await naming(body.name, () => scriptRepo.insert(ctx.tx, {
        id, name: body.name, language: body.language, description: body.description ?? '', nodeId, version: 1,
        createdBy: ctx.actor.id, createdAt: now, updatedAt: now,
      }));
      await scriptRepo.insertVersion(ctx.tx, {
        scriptId: id, version: 1, language: body.language, content: body.content, params: body.params, message: 'created',
        createdBy: ctx.actor.id, createdAt: now,
      });
      const created = await view(await requireScript(ctx.tx, id), ctx.tx);
      Object.assign(ctx.audit, { targetType: 'script', targetId: id, after: auditView(created) });
      await ctx.emit('script.created', { scriptId: id, name: body.name, version: 1 }, {
        summary: `script ${body.name} created`, resourceType: 'script', resourceId: id, nodeId,
      });
      return created;
    },

    /**
     * Content, parameters or language make a new version (with the message);
     * name, node and description change in place. A save that changes
     * nothing answers the script as it is.
     */
    async update(ctx: MutationContext, id: string, body: UpdateScriptBody, authorizedNode: string | null): Promise<ScriptView> {
      const row = await requireScript(ctx.tx, id, true);
      if (row.nodeId !== authorizedNode) throw forbidden('script:write', 'the node the script moved to meanwhile; try again');
      const changed: string[] = [];
      const differs = <K extends keyof UpdateScriptBody>(k: K, same: boolean): boolean => {
        if (body[k] === undefined || same) return false;
        changed.push(k);
        return true;
      };
      const newVersion = [
        differs('content', body.content === row.content),
        differs('params', body.params !== undefined && paramsKey(body.params) === paramsKey(row.params)),
        differs('language', body.language === row.language),
      ].some(Boolean);
      const renamed = differs('name', body.name === row.name);
      const moved = differs('nodeId', body.nodeId === row.nodeId);
      differs('description', body.description === row.description);
      const before = await view(row, ctx.tx);
      Object.assign(ctx.audit, { targetType: 'script', targetId: id, before: auditView(before), after: auditView(before) });
      if (!changed.length) return before;

      if (moved && body.nodeId && !(await tree.nodeInfo(body.nodeId, ctx.tx))) throw unknownNode(body.nodeId);
      if (renamed && body.name) await requireFreeName(ctx.tx, body.name, id);
      const now = clock.now();
      const version = newVersion ? row.version + 1 : row.version;
      const language = body.language ?? (row.language as ScriptLanguage);
      if (newVersion) {
        await scriptRepo.insertVersion(ctx.tx, {
          scriptId: id, version, language, content: body.content ?? row.content, params: body.params ?? row.params, message: body.message ?? '',
          createdBy: ctx.actor.id, createdAt: now,
        });
      }
      await naming(body.name ?? row.name, () => scriptRepo.update(ctx.tx, id, {
        ...(renamed && { name: body.name }),
        ...(moved && { nodeId: body.nodeId ?? null }),
        ...(body.description !== undefined && { description: body.description }),
        version, language, updatedAt: now,
      }));
      const after = await view(await requireScript(ctx.tx, id), ctx.tx);
      ctx.audit.after = auditView(after);
      await ctx.emit('script.updated', { scriptId: id, name: after.name, version, changed }, {
        summary: `script ${after.name} changed: ${changed.join(', ')}${newVersion ? ` (version ${version})` : ''}`,
        resourceType: 'script', resourceId: id, nodeId: after.node?.id ?? null,
      });
      return after;
    },

    /** Deletes a script and its versions; runs already made keep their copy of the content. */
    async remove(ctx: MutationContext, id: string, authorizedNode: string | null): Promise<void> {
      const row = await requireScript(ctx.tx, id, true);
      if (row.nodeId !== authorizedNode) throw forbidden('script:write', 'the node the script moved to meanwhile; try again');
      Object.assign(ctx.audit, { targetType: 'script', targetId: id, before: auditView(await view(row, ctx.tx)) });
      await scriptRepo.delete(ctx.tx, id);
      await ctx.emit('script.deleted', { scriptId: id, name: row.name }, {
        summary: `script ${row.name} deleted`, resourceType: 'script', resourceId: id, nodeId: row.nodeId,
      });
    },
  };
}

export type ScriptService = ReturnType<typeof createScriptService>;
