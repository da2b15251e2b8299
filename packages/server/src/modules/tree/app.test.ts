import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, treeFixtures, type TestApp } from '@opsline/test-utils';
import type { AppView } from '@opsline/contracts';

describe('apps and services', () => {
  let t: TestApp;
  let f: ReturnType<typeof treeFixtures>;
  beforeAll(async () => {
    t = await buildTestApp();
    f = treeFixtures(t);
  });
  afterAll(() => t.close());
  const names = (res: { json: () => { items: AppView[] } }) => res.json().items.map((a) => `${a.node?.path ?? '-'}/${a.name}`);

  it('adds an app on a node with owners, ports and labels, lists it with its subtree, and changes it', async () => {
    const [shop, web] = await f.chain('app-shop.web');
    const owner = await t.userWithRoles(['developer']);
    const body = {
      name: 'cart', nodeId: web?.id, ownerIds: [owner.id], repoUrl: 'git@git.example.com:shop/cart.git', runtime: 'k8s',
      ports: [{ port: 8080, name: 'http' }, { port: 9090, protocol: 'tcp', name: 'metrics' }], labels: { tier: 'backend' },
    };
    const res = await f.admin().post('/api/v1/apps', body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      name: 'cart', node: { id: web?.id, path: 'app-shop.web' }, owners: [{ id: owner.id, username: owner.username }], runtime: 'k8s',
      ports: [{ port: 8080, protocol: 'tcp', name: 'http' }, { port: 9090, protocol: 'tcp', name: 'metrics' }],
    });
    await f.admin().post('/api/v1/apps', { name: 'checkout', nodeId: shop?.id });
    expect(names(await f.admin().get(`/api/v1/apps?nodeId=${shop?.id}&descendants=true`))).toEqual(['app-shop.web/cart', 'app-shop/checkout']);
    expect(names(await f.admin().get(`/api/v1/apps?nodeId=${shop?.id}`))).toEqual(['app-shop/checkout']);
    expect(names(await f.admin().get(`/api/v1/apps?q=CAR&runtime=k8s`))).toEqual(['app-shop.web/cart']);

    const moved = await f.admin().patch(`/api/v1/apps/${res.json().id}`, { nodeId: shop?.id, description: 'the cart' });
    expect(moved.json()).toMatchObject({ node: { path: 'app-shop' }, description: 'the cart' });
    const events = (await f.admin().get(`/api/v1/events?type=app.updated&resourceId=${res.json().id}`)).json().items;
    expect(events[0]?.payload.changed).toEqual(['nodeId', 'description']);
    const clash = await f.admin().patch(`/api/v1/apps/${res.json().id}`, { name: 'checkout' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error).toMatchObject({ code: 'APP_EXISTS', details: { issues: [{ field: 'body.name' }] } });
    expect((await f.admin().del(`/api/v1/apps/${res.json().id}`)).statusCode).toBe(200);
    expect((await f.admin().get(`/api/v1/apps/${res.json().id}`)).statusCode).toBe(404);
  });

  it('answers bad app input with the field', async () => {
    const [n] = await f.chain('app-bad');
    const repo = await f.admin().post('/api/v1/apps', { name: 'x', nodeId: n?.id, repoUrl: 'ftp://nope' });
    expect(repo.json().error.details.issues[0].field).toBe('body.repoUrl');
    const port = await f.admin().post('/api/v1/apps', { name: 'x', nodeId: n?.id, ports: [{ port: 70000 }] });
    expect(port.json().error.details.issues[0].field).toBe('body.ports.0.port');
    const owner = await f.admin().post('/api/v1/apps', { name: 'x', nodeId: n?.id, ownerIds: ['0190a000-0000-7000-8000-000000000000'] });
    expect(owner.statusCode).toBe(404);
    expect(owner.json().error.details.issues[0].field).toBe('body.ownerIds');
    const node = await f.admin().post('/api/v1/apps', { name: 'x', nodeId: '0190a000-0000-7000-8000-000000000000' });
    expect(node.statusCode).toBe(404);
  });

  it('lets a developer on a subtree see and add apps there only', async () => {
    const [mine] = await f.chain('app-mine');
    const [theirs] = await f.chain('app-theirs');
    await f.admin().post('/api/v1/apps', { name: 'hidden', nodeId: theirs?.id });
    const u = await f.grantedOn('developer', mine?.id ?? '');
    const me = f.as(u.token);
    expect((await me.post('/api/v1/apps', { name: 'svc', nodeId: mine?.id })).statusCode).toBe(201);
    expect((await me.post('/api/v1/apps', { name: 'svc', nodeId: theirs?.id })).statusCode).toBe(403);
    expect(names(await me.get('/api/v1/apps'))).toEqual(['app-mine/svc']);
    expect((await me.get(`/api/v1/apps?nodeId=${theirs?.id}`)).statusCode).toBe(403);
  });
});
