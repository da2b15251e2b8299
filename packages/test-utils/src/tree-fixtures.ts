import { expect } from 'vitest';
import type { TestApp } from './test-app.js';
import type { HostView, TreeNodeView } from '@opsline/contracts';

/** Test helpers: calls as a user, and trees built from dotted paths. */
export function treeFixtures(t: TestApp) {
  const as = (token: string) => ({
    get: (url: string) => t.call({ method: 'GET', url, token }),
    post: (url: string, body: unknown) => t.call({ method: 'POST', url, token, body }),
    patch: (url: string, body: unknown) => t.call({ method: 'PATCH', url, token, body }),
    del: (url: string, body?: unknown) => t.call({ method: 'DELETE', url, token, ...(body !== undefined && { body }) }),
  });
  const admin = () => as(t.adminToken);
  async function node(name: string, parentId: string | null = null, extra: Record<string, unknown> = {}): Promise<TreeNodeView> {
    const res = await admin().post('/api/v1/tree/nodes', { name, parentId, ...extra });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<TreeNodeView>();
  }
  /** Builds `a.b.c…` under an optional parent and returns the nodes, outermost first; `leaf` makes the last a leaf. */
  async function chain(path: string, parentId: string | null = null, opts: { leaf?: boolean } = {}): Promise<TreeNodeView[]> {
    const out: TreeNodeView[] = [];
    const names = path.split('.');
    for (const [i, name] of names.entries()) {
      out.push(await node(name, out.at(-1)?.id ?? parentId, opts.leaf && i === names.length - 1 ? { isLeaf: true } : {}));
    }
    return out;
  }
  async function host(hostname: string, nodeIds: string[], extra: Record<string, unknown> = {}): Promise<HostView> {
    const res = await admin().post('/api/v1/hosts', { hostname, ips: ['10.0.0.1'], nodeIds, ...extra });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<HostView>();
  }
  /** A user holding `role` on one node only (and viewer-less otherwise). */
  async function grantedOn(role: string, nodeId: string) {
    const u = await t.userWithRoles([]);
    const res = await admin().post('/api/v1/grants', { userId: u.id, role, nodeId });
    expect(res.statusCode, res.body).toBe(201);
    return u;
  }
  return { as, admin, node, chain, host, grantedOn };
}
