import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, treeFixtures, type TestApp } from '@opsline/test-utils';
import type { TreeNodeView } from '@opsline/contracts';

describe('the service tree', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  const f = () => treeFixtures(t);
  const as = (token: string) => f().as(token);
  const admin = () => f().admin();
  const node = (...a: Parameters<ReturnType<typeof treeFixtures>['node']>) => f().node(...a);
  const chain = (path: string, parentId: string | null = null) => f().chain(path, parentId);
  const children = async (parentId?: string) =>
    (await admin().get(`/api/v1/tree/nodes${parentId ? `?parentId=${parentId}` : ''}`)).json<{ items: TreeNodeView[] }>().items;

  it('adds nodes with paths, depths and child counts, one level at a time', async () => {
    const [infra, k8s, prod] = await chain('infra.k8s.prod-01');
    expect(prod).toMatchObject({ path: 'infra.k8s.prod-01', depth: 2, parentId: k8s?.id, icon: 'folder', isLeaf: false });
    const roots = await children();
    expect(roots.find((r) => r.name === 'infra')).toMatchObject({ childCount: 1, depth: 0 });
    expect((await children(infra?.id)).map((c) => c.path)).toEqual(['infra.k8s']);
  });

  it('refuses bad names, a taken sibling name, and children under a leaf', async () => {
    const bad = await admin().post('/api/v1/tree/nodes', { name: 'Has.Dot' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0].field).toBe('body.name');
    const [shop] = await chain('shop');
    await node('web', shop?.id);
    const dup = await admin().post('/api/v1/tree/nodes', { name: 'web', parentId: shop?.id });
    expect(dup.json().error.code).toBe('TREE_NODE_EXISTS');
    const leaf = await node('host-01', shop?.id, { isLeaf: true });
    const under = await admin().post('/api/v1/tree/nodes', { name: 'x', parentId: leaf.id });
    expect(under.statusCode).toBe(409);
    expect(under.json().error.code).toBe('TREE_NODE_IS_LEAF');
  });

  it('renames a node and every path below it', async () => {
    const [, mid, leaf] = await chain('data.mysql.primary');
    const res = await admin().patch(`/api/v1/tree/nodes/${mid?.id}`, { name: 'mariadb' });
    expect(res.json().path).toBe('data.mariadb');
    expect((await admin().get(`/api/v1/tree/nodes/${leaf?.id}`)).json().path).toBe('data.mariadb.primary');
    const events = (await admin().get(`/api/v1/events?nodeId=${mid?.id}&type=tree.node.renamed`)).json().items;
    expect(events[0].payload).toMatchObject({ from: 'data.mysql', to: 'data.mariadb', descendants: 1 });
  });

  it('moves a subtree with its paths and depths, and refuses to move a node under itself', async () => {
    const [ops, team] = await chain('ops.team');
    const [, , deep] = await chain('deep.a.b');
    const [dest] = await chain('dest');
    const moved = await admin().post(`/api/v1/tree/nodes/${ops?.id}/move`, { parentId: dest?.id });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ path: 'dest.ops', depth: 1 });
    expect((await admin().get(`/api/v1/tree/nodes/${team?.id}`)).json()).toMatchObject({ path: 'dest.ops.team', depth: 2 });
    for (const target of [ops?.id, team?.id]) {
      const cycle = await admin().post(`/api/v1/tree/nodes/${ops?.id}/move`, { parentId: target });
      expect(cycle.statusCode).toBe(409);
      expect(cycle.json().error.code).toBe('TREE_MOVE_CYCLE');
    }
    const root = await admin().post(`/api/v1/tree/nodes/${deep?.id}/move`, { parentId: null });
    expect(root.json()).toMatchObject({ path: 'b', depth: 0, parentId: null });
  });

  it('protects a node with children or grants from deletion, and cascades in one go', async () => {
    const [top, mid, leaf] = await chain('gone.soon.now');
    const u = await t.userWithRoles(['viewer']);
    await admin().post('/api/v1/grants', { userId: u.id, role: 'operator', nodeId: leaf?.id });
    const refused = await admin().del(`/api/v1/tree/nodes/${top?.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'TREE_NODE_NOT_EMPTY', details: { children: 1, descendants: 2, grants: 1 } });
    expect(refused.json().error.message).toContain('1 child node and 1 grant');
    const done = await admin().del(`/api/v1/tree/nodes/${top?.id}?cascade=true`);
    expect(done.json()).toEqual({ ok: true, deleted: 3 });
    for (const n of [top, mid, leaf]) expect((await admin().get(`/api/v1/tree/nodes/${n?.id}`)).statusCode).toBe(404);
    const left = (await admin().get(`/api/v1/grants?userId=${u.id}`)).json().items as { nodeId: string | null; role: string }[];
    expect(left.map((g) => [g.role, g.nodeId])).toEqual([['viewer', null]]);
    const audit = (await admin().get(`/api/v1/audit?action=tree.node.delete&targetId=${top?.id}`)).json().items;
    expect(audit.map((a: { result: string }) => a.result)).toEqual(['success', 'failure']);
  });

  it('lets a role granted on a node act on its whole subtree, and nowhere else', async () => {
    const [infra] = await chain('infra2.k8s');
    const [biz] = await chain('biz.shop');
    const u = await t.userWithRoles(['viewer']);
    await admin().post('/api/v1/grants', { userId: u.id, role: 'operator', nodeId: infra?.id });
    const mine = (await admin().get(`/api/v1/tree/search?q=infra2.k8s`)).json().items[0] as TreeNodeView;
    const created = await as(u.token).post('/api/v1/tree/nodes', { name: 'prod-01', parentId: mine.id });
    expect(created.statusCode).toBe(201);
    const elsewhere = await as(u.token).post('/api/v1/tree/nodes', { name: 'x', parentId: biz?.id });
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().error.details.permission).toBe('tree:write');
    expect((await as(u.token).post('/api/v1/tree/nodes', { name: 'rooty' })).statusCode).toBe(403);
    expect((await as(u.token).post(`/api/v1/tree/nodes/${created.json().id}/move`, { parentId: biz?.id })).statusCode).toBe(403);
    expect((await as(u.token).del(`/api/v1/tree/nodes/${created.json().id}?cascade=true`)).statusCode).toBe(403);
    expect((await as(u.token).del(`/api/v1/tree/nodes/${created.json().id}`)).statusCode).toBe(200);
  });

  it('keeps a grant working on a subtree after it moves', async () => {
    const [src, child] = await chain('moving.part');
    const [other] = await chain('elsewhere');
    const u = await t.userWithRoles(['viewer']);
    await admin().post('/api/v1/grants', { userId: u.id, role: 'operator', nodeId: src?.id });
    await admin().post(`/api/v1/tree/nodes/${src?.id}/move`, { parentId: other?.id });
    const res = await as(u.token).patch(`/api/v1/tree/nodes/${child?.id}`, { description: 'still mine' });
    expect(res.statusCode).toBe(200);
    expect(res.json().path).toBe('elsewhere.moving.part');
  });

  it('explains which grants apply on a node and where they come from', async () => {
    const [top, , leaf] = await chain('explain.k8s.prod');
    const u = await t.userWithRoles(['viewer']);
    const team = (await admin().post('/api/v1/teams', { name: 'explainers', memberIds: [u.id] })).json();
    await admin().post('/api/v1/grants', { teamId: team.id, role: 'operator', nodeId: top?.id });
    const mine = await as(u.token).get(`/api/v1/tree/nodes/${leaf?.id}/permissions`);
    expect(mine.statusCode).toBe(200);
    const body = mine.json();
    expect(body.path).toBe('explain.k8s.prod');
    expect(body.permissions).toEqual(expect.arrayContaining(['tree:write', 'tree:read']));
    const byRole = Object.fromEntries(body.grants.map((g: { role: string }) => [g.role, g]));
    expect(byRole.operator).toMatchObject({ via: 'team', teamName: 'explainers', nodeId: top?.id, nodePath: 'explain', inherited: true });
    expect(byRole.viewer).toMatchObject({ via: 'user', nodeId: null, nodePath: null });
    const other = await t.userWithRoles(['viewer']);
    expect((await as(other.token).get(`/api/v1/tree/nodes/${leaf?.id}/permissions?user=${u.id}`)).statusCode).toBe(403);
    expect((await admin().get(`/api/v1/tree/nodes/${leaf?.id}/permissions?user=${u.id}`)).json().grants).toHaveLength(2);
  });

  it('finds nodes by name or path', async () => {
    await chain('search.alpha.needle-node');
    const hits = (await admin().get('/api/v1/tree/search?q=NEEDLE')).json().items.map((n: TreeNodeView) => n.path);
    expect(hits).toEqual(['search.alpha.needle-node']);
    expect((await admin().get('/api/v1/tree/search?q=search.alpha')).json().items.length).toBe(2);
    expect((await admin().get('/api/v1/tree/search?q=%25')).json().items).toEqual([]);
  });

  it('pages the children of a crowded node', async () => {
    const [crowd] = await chain('crowd');
    for (let i = 0; i < 7; i++) await node(`c${i}`, crowd?.id);
    const first = (await admin().get(`/api/v1/tree/nodes?parentId=${crowd?.id}&limit=5`)).json();
    const second = (await admin().get(`/api/v1/tree/nodes?parentId=${crowd?.id}&limit=5&cursor=${first.nextCursor}`)).json();
    expect([...first.items, ...second.items].map((n: TreeNodeView) => n.name)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    expect(second.nextCursor).toBeNull();
  });
});
