import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateTreeNodeBody, DeleteTreeNodeQuery, EffectivePermissions, EffectivePermissionsQuery, IdParams, MoveTreeNodeBody, TreeNodeListQuery, TreeNodeView, TreeSearchQuery, UpdateTreeNodeBody, page,
} from '@opsline/contracts';
import { AppError } from '../../platform/errors/app-error.js';
import type { PlatformServices } from '../../platform/services.js';
import type { TreeService } from './tree.service.js';

const tags = ['tree'];

export function treeRoutes(app: FastifyInstance, s: PlatformServices, tree: TreeService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  /** A second node-scoped check, for the node a request moves something to or deletes below. */
  async function requireOn(req: FastifyRequest, permission: string, nodeId: string | null): Promise<void> {
    const userId = req.caller().userId;
    const ok = nodeId ? await s.rbac.can(userId, permission, nodeId) : await s.rbac.can(userId, permission);
    if (!ok) throw new AppError('FORBIDDEN', `You lack the permission ${permission}${nodeId ? ' on that node' : ''}`, { permission });
  }

  r.get('/api/v1/tree/nodes', {
    schema: { tags, summary: 'Children of a node (roots without parentId) you may see, by name, with child and host counts', querystring: TreeNodeListQuery, response: { 200: page(TreeNodeView) } },
    config: { access: 'tree:read', filtered: true },
  }, async (req) => tree.list(req.query, await tree.scopeFor(req.caller().userId, 'tree:read')));

  r.get('/api/v1/tree/search', {
    schema: { tags, summary: 'Nodes you may see whose name or path contains q', querystring: TreeSearchQuery, response: { 200: z.object({ items: z.array(TreeNodeView) }) } },
    config: { access: 'tree:read', filtered: true },
  }, async (req) => tree.search(req.query, await tree.scopeFor(req.caller().userId, 'tree:read')));

  r.get('/api/v1/tree/nodes/:id', {
    schema: { tags, summary: 'One node (also one on the path above your grants, read-only)', params: IdParams, response: { 200: TreeNodeView } },
    config: { access: 'tree:read', filtered: true },
  }, async (req) => tree.get(req.params.id, await tree.scopeFor(req.caller().userId, 'tree:read')));

  r.get('/api/v1/tree/nodes/:id/permissions', {
    schema: {
      tags, summary: 'Which grants give a user (default: you) what on this node, and where each comes from',
      params: IdParams, querystring: EffectivePermissionsQuery, response: { 200: EffectivePermissions },
    },
    config: { access: 'authenticated' },
  }, async (req) => {
    const me = req.caller().userId;
    const userId = req.query.user ?? me;
    // Anyone may ask about themselves; asking about others needs grant:read.
    if (userId !== me) await requireOn(req, 'grant:read', null);
    return tree.effectivePermissions(req.params.id, userId);
  });

  r.post('/api/v1/tree/nodes', {
    schema: { tags, summary: 'Add a node under parentId (a root without it)', body: CreateTreeNodeBody, response: { 201: TreeNodeView } },
    config: { access: 'tree:write', audit: 'tree.node.create', scope: { from: 'body', key: 'parentId' } },
  }, async (req, reply) => reply.code(201).send(await req.mutate((ctx) => tree.create(ctx, req.body))));

  r.patch('/api/v1/tree/nodes/:id', {
    schema: { tags, summary: 'Rename (paths below follow), change icon, description or leaf flag', params: IdParams, body: UpdateTreeNodeBody, response: { 200: TreeNodeView } },
    config: { access: 'tree:write', audit: 'tree.node.update', scope: { from: 'params', key: 'id' } },
  }, (req) => req.mutate((ctx) => tree.update(ctx, req.params.id, req.body)));

  r.post('/api/v1/tree/nodes/:id/move', {
    schema: { tags, summary: 'Move a node and its subtree under another parent (null: make it a root)', params: IdParams, body: MoveTreeNodeBody, response: { 200: TreeNodeView } },
    config: { access: 'tree:write', audit: 'tree.node.move', scope: { from: 'params', key: 'id' } },
  }, async (req) => {
    await requireOn(req, 'tree:write', req.body.parentId);
    return req.mutate((ctx) => tree.move(ctx, req.params.id, req.body));
  });

  r.delete('/api/v1/tree/nodes/:id', {
    schema: {
      tags, summary: 'Delete a node; 409 TREE_NODE_NOT_EMPTY while it has children, grants, hosts or apps, unless cascade=true (tree:admin)',
      params: IdParams, querystring: DeleteTreeNodeQuery, response: { 200: z.object({ ok: z.literal(true), deleted: z.number().int() }) },
    },
    config: { access: 'tree:write', audit: 'tree.node.delete', scope: { from: 'params', key: 'id' } },
  }, async (req) => {
    if (req.query.cascade) await requireOn(req, 'tree:admin', req.params.id);
    const deleted = await req.mutate((ctx) => tree.remove(ctx, req.params.id, req.query.cascade));
    return { ok: true as const, deleted };
  });
}
