import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, treeFixtures, type TestApp } from '@opsline/test-utils';
import type { HostImportReport, HostView, TreeNodeView } from '@opsline/contracts';

describe('hosts in the CMDB', () => {
  let t: TestApp;
  let f: ReturnType<typeof treeFixtures>;
  beforeAll(async () => {
    t = await buildTestApp();
    f = treeFixtures(t);
  });
  afterAll(() => t.close());

  const hostnames = (res: { json: () => { items: HostView[] } }) => res.json().items.map((h) => h.hostname);
  const nodeOf = async (id: string | undefined) => (await f.admin().get(`/api/v1/tree/nodes/${id}`)).json<TreeNodeView>();
  const importCsv = (csv: string, dryRun: boolean, token = t.adminToken) =>
    t.call({ method: 'POST', url: `/api/v1/hosts/import?dryRun=${dryRun}`, token, body: csv, headers: { 'content-type': 'text/csv' } });

  it('binds hosts to leaves, counts them up the tree, and lists a subtree, filtered and searched', async () => {
    const [top, , leaf] = await f.chain('lst.k8s.node-a', null, { leaf: true });
    const [, other] = await f.chain('node-b', top?.id, { leaf: true }).then((n) => [top, n[0]]);
    const a = await f.host('lst-web-01', [leaf?.id ?? ''], { ips: ['10.9.1.11'], status: 'online' });
    await f.host('lst-web-02', [leaf?.id ?? '', other?.id ?? ''], { ips: ['10.9.1.12'], status: 'offline' });
    expect(a).toMatchObject({ hostname: 'lst-web-01', source: 'manual', status: 'online', nodes: [{ id: leaf?.id, path: 'lst.k8s.node-a' }] });
    expect((await nodeOf(top?.id)).hostCount).toBe(3);
    expect((await nodeOf(leaf?.id)).hostCount).toBe(2);

    const all = await f.admin().get(`/api/v1/hosts?nodeId=${top?.id}&descendants=true`);
    expect(hostnames(all)).toEqual(['lst-web-01', 'lst-web-02']);
    expect(hostnames(await f.admin().get(`/api/v1/hosts?nodeId=${top?.id}`))).toEqual([]);
    expect(hostnames(await f.admin().get(`/api/v1/hosts?nodeId=${other?.id}`))).toEqual(['lst-web-02']);
    expect(hostnames(await f.admin().get(`/api/v1/hosts?nodeId=${top?.id}&descendants=true&status=offline`))).toEqual(['lst-web-02']);
    expect(hostnames(await f.admin().get(`/api/v1/hosts?nodeId=${top?.id}&descendants=true&q=9.1.11`))).toEqual(['lst-web-01']);
    const paged = (await f.admin().get(`/api/v1/hosts?nodeId=${top?.id}&descendants=true&limit=1`)).json();
    expect(hostnames(await f.admin().get(`/api/v1/hosts?nodeId=${top?.id}&descendants=true&limit=1&cursor=${paged.nextCursor}`))).toEqual(['lst-web-02']);

    const unbound = await f.admin().del(`/api/v1/tree/nodes/${leaf?.id}/hosts`, { hostIds: [a.id] });
    expect(unbound.json()).toEqual({ changed: 1 });
    expect((await nodeOf(top?.id)).hostCount).toBe(2);
    const notLeaf = await f.admin().post(`/api/v1/tree/nodes/${top?.id}/hosts`, { hostIds: [a.id] });
    expect(notLeaf.statusCode).toBe(409);
    expect(notLeaf.json().error.code).toBe('HOST_BIND_NOT_LEAF');
    const events = (await f.admin().get(`/api/v1/events?nodeId=${leaf?.id}&type=host.unbound`)).json().items;
    expect(events[0].payload).toMatchObject({ path: 'lst.k8s.node-a', hostIds: [a.id] });
  });

  it('moves host counts with a moved subtree', async () => {
    const [from, mid] = await f.chain('mvh.mid.leaf', null, { leaf: true }).then((n) => [n[0], n[1], n[2]]);
    const leaf = (await f.admin().get(`/api/v1/tree/nodes?parentId=${mid?.id}`)).json().items[0] as TreeNodeView;
    await f.host('mvh-01', [leaf.id]);
    const [to] = await f.chain('mvh-dest');
    await f.admin().post(`/api/v1/tree/nodes/${mid?.id}/move`, { parentId: to?.id });
    expect((await nodeOf(from?.id)).hostCount).toBe(0);
    expect((await nodeOf(to?.id)).hostCount).toBe(1);
    expect((await f.admin().get(`/api/v1/hosts?nodeId=${to?.id}&descendants=true`)).json().items[0].nodes[0].path).toBe('mvh-dest.mid.leaf');
  });

  it('answers bad host input with the field, and refuses a taken hostname', async () => {
    const badIp = await f.admin().post('/api/v1/hosts', { hostname: 'bad-ip', ips: ['10.0.0.300'] });
    expect(badIp.statusCode).toBe(400);
    expect(badIp.json().error.details.issues[0].field).toMatch(/^body\.ips/);
    const noIps = await f.admin().post('/api/v1/hosts', { hostname: 'no-ip', ips: [] });
    expect(noIps.json().error.details.issues[0].field).toBe('body.ips');
    const [leaf] = await f.chain('dup-leaf', null, { leaf: true });
    await f.host('Dup-Host', [leaf?.id ?? '']);
    const taken = await f.admin().post('/api/v1/hosts', { hostname: 'dup-host', ips: ['10.0.0.2'] });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'HOST_EXISTS', details: { issues: [{ field: 'body.hostname' }] } });
  });

  it('shows a user granted on infra.k8s that subtree and its hosts only, with the path above read-only', async () => {
    const [infra, k8s, node] = await f.chain('vis-infra.k8s.node-01', null, { leaf: true });
    const [biz, shop] = await f.chain('vis-biz.shop', null, { leaf: true });
    const mine = await f.host('vis-k8s-01', [node?.id ?? '']);
    const theirs = await f.host('vis-shop-01', [shop?.id ?? '']);
    const u = await f.grantedOn('viewer', k8s?.id ?? '');
    const me = f.as(u.token);

    const who = (await me.get('/api/v1/auth/me')).json();
    expect(who.permissions).toEqual([]);
    expect(who.nodePermissions).toEqual(expect.arrayContaining(['tree:read', 'host:read', 'app:read']));
    const roots = (await me.get('/api/v1/tree/nodes')).json().items as TreeNodeView[];
    expect(roots.map((r) => [r.name, r.pathOnly, r.hostCount, r.childCount])).toEqual([['vis-infra', true, null, 1]]);
    expect((await me.get(`/api/v1/tree/nodes?parentId=${infra?.id}`)).json().items[0]).toMatchObject({ name: 'k8s', pathOnly: false, hostCount: 1 });
    expect((await me.get(`/api/v1/tree/nodes/${biz?.id}`)).statusCode).toBe(403);
    expect((await me.get('/api/v1/tree/search?q=vis-')).json().items.map((n: TreeNodeView) => n.path)).toEqual(['vis-infra', 'vis-infra.k8s', 'vis-infra.k8s.node-01']);

    expect(hostnames(await me.get('/api/v1/hosts'))).toEqual(['vis-k8s-01']);
    expect((await me.get(`/api/v1/hosts/${mine.id}`)).statusCode).toBe(200);
    const denied = await me.get(`/api/v1/hosts/${theirs.id}`);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.details.permission).toBe('host:read');
    expect((await me.get(`/api/v1/hosts?nodeId=${biz?.id}&descendants=true`)).statusCode).toBe(403);
    expect((await me.patch(`/api/v1/hosts/${mine.id}`, { os: 'x' })).statusCode).toBe(403);
    const exported = await me.get('/api/v1/hosts/export');
    expect(exported.body).toContain('vis-k8s-01');
    expect(exported.body).not.toContain('vis-shop-01');
  });

  it('lets an operator on a subtree add and change hosts there, and nowhere else', async () => {
    const [, leaf] = await f.chain('opr.leaf', null, { leaf: true });
    const [other] = await f.chain('opr-other', null, { leaf: true });
    const u = await f.grantedOn('operator', leaf?.id ?? '');
    const me = f.as(u.token);
    const made = await me.post('/api/v1/hosts', { hostname: 'opr-01', ips: ['10.1.0.1'], nodeIds: [leaf?.id] });
    expect(made.statusCode).toBe(201);
    expect((await me.post('/api/v1/hosts', { hostname: 'opr-02', ips: ['10.1.0.2'] })).statusCode).toBe(403);
    expect((await me.post('/api/v1/hosts', { hostname: 'opr-03', ips: ['10.1.0.3'], nodeIds: [other?.id] })).statusCode).toBe(403);
    expect((await me.patch(`/api/v1/hosts/${made.json().id}`, { status: 'maintenance' })).json().status).toBe('maintenance');
    expect((await me.post(`/api/v1/tree/nodes/${other?.id}/hosts`, { hostIds: [made.json().id] })).statusCode).toBe(403);
    const report = (await importCsv('hostname,ips,nodes\nopr-04,10.1.0.4,opr.leaf\nopr-05,10.1.0.5,\nopr-06,10.1.0.6,opr-other\n', false, u.token)).json<HostImportReport>();
    expect(report.rows.map((r) => [r.hostname, r.action, r.errors[0]?.message])).toEqual([
      ['opr-04', 'create', undefined],
      ['opr-05', 'reject', 'name a leaf node you hold host:write on'],
      ['opr-06', 'reject', 'you lack host:write on a node named'],
    ]);
  });

  it('imports a CSV: reports each bad row and why, imports the good ones, and a dry run changes nothing', async () => {
    const [, leaf] = await f.chain('imp.rack-1', null, { leaf: true });
    await f.host('imp-existing', [leaf?.id ?? ''], { os: 'Debian 11' });
    const csv = [
      'hostname,ips,os,cpu_cores,memory_mb,disks,labels,status,nodes',
      'imp-01,10.2.0.1;10.2.0.2,Debian 12,8,16384,/:100;/data:500,env=prod;team=db,online,imp.rack-1',
      ',10.2.0.3,,,,,,,imp.rack-1',
      'imp-03,10.2.0.300,,,,,,,imp.rack-1',
      'imp-01,10.2.0.4,,,,,,,imp.rack-1',
      'imp-existing,,Debian 12,,,,,,',
      'imp-05,10.2.0.5,,many,,,,,imp.nowhere',
      'imp-06,10.2.0.6,,,,,,,',
    ].join('\n');
    const dry = await importCsv(csv, true);
    expect(dry.statusCode, dry.body).toBe(200);
    const report = dry.json<HostImportReport>();
    expect(report).toMatchObject({ dryRun: true, created: 2, updated: 1, unchanged: 0, rejected: 4 });
    const byLine = Object.fromEntries(report.rows.map((r) => [r.line, r]));
    expect(byLine[2]).toMatchObject({ action: 'create', errors: [] });
    expect(byLine[3]?.errors).toEqual([{ field: 'hostname', message: 'missing' }]);
    expect(byLine[4]?.errors).toEqual([{ field: 'ips', message: 'not an IP address: 10.2.0.300' }]);
    expect(byLine[5]?.errors).toEqual([{ field: 'hostname', message: 'duplicate of line 2' }]);
    expect(byLine[6]).toMatchObject({ action: 'update', hostname: 'imp-existing' });
    expect(byLine[7]?.errors.map((e) => e.field)).toEqual(['cpu_cores', 'nodes']);
    expect(byLine[8]).toMatchObject({ action: 'create', hostname: 'imp-06' });
    expect((await f.admin().get('/api/v1/hosts?q=imp-01')).json().items).toEqual([]);

    const real = (await importCsv(csv, false)).json<HostImportReport>();
    expect(real).toMatchObject({ dryRun: false, created: 2, updated: 1, rejected: 4 });
    const imported = (await f.admin().get('/api/v1/hosts?q=imp-01')).json().items[0] as HostView;
    expect(imported).toMatchObject({
      source: 'import', ips: ['10.2.0.1', '10.2.0.2'], os: 'Debian 12', cpuCores: 8, memoryMb: 16384, status: 'online',
      disks: [{ mount: '/', sizeGb: 100 }, { mount: '/data', sizeGb: 500 }], labels: { env: 'prod', team: 'db' }, nodes: [{ path: 'imp.rack-1' }],
    });
    expect((await f.admin().get('/api/v1/hosts?q=imp-existing')).json().items[0]).toMatchObject({ os: 'Debian 12', source: 'manual' });
    const again = (await importCsv(csv, false)).json<HostImportReport>();
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    const events = (await f.admin().get('/api/v1/events?type=host.imported')).json().items;
    expect(events[0].payload).toEqual({ created: 2, updated: 1, rejected: 4 });
  });

  it('refuses a CSV it cannot read, naming what is wrong', async () => {
    const unknown = await importCsv('hostname,colour\nx,red\n', true);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({ code: 'CSV_INVALID', details: { issues: [{ field: 'body.header' }] } });
    expect(unknown.json().error.message).toContain('colour');
    const quotes = await importCsv('hostname,ips\n"broken,10.0.0.1\n', true);
    expect(quotes.json().error.code).toBe('CSV_INVALID');
    const json = await t.call({ method: 'POST', url: '/api/v1/hosts/import', token: t.adminToken, body: { hostname: 'x' } });
    expect(json.statusCode).toBe(400);
  });

  it('exports CSV that imports back unchanged, with formula-like cells defused', async () => {
    const [, leaf] = await f.chain('exp.rack', null, { leaf: true });
    await f.host('exp-01', [leaf?.id ?? ''], { ips: ['10.3.0.1', '10.3.0.2'], os: '=HYPERLINK("x")', labels: { env: 'prod' }, disks: [{ mount: '/', sizeGb: 40 }] });
    const res = await f.admin().get(`/api/v1/hosts/export?nodeId=${leaf?.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="opsline-hosts-.*\.csv"/);
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toBe('hostname,ips,os,cpu_cores,memory_mb,disks,labels,status,owner,nodes');
    expect(lines[1]).toBe(`exp-01,10.3.0.1;10.3.0.2,"'=HYPERLINK(""x"")",,,/:40,env=prod,unknown,,exp.rack`);
    const back = (await importCsv(res.body, false)).json<HostImportReport>();
    expect(back).toMatchObject({ created: 0, updated: 0, unchanged: 1, rejected: 0 });
  });

  it('protects a node with hosts and apps from deletion; a cascade unbinds them and keeps them', async () => {
    const [top, leaf] = await f.chain('del-h.leaf', null, { leaf: true });
    const h = await f.host('del-h-01', [leaf?.id ?? '']);
    const app = (await f.admin().post('/api/v1/apps', { name: 'shop-api', nodeId: top?.id })).json();
    const refusedLeaf = await f.admin().del(`/api/v1/tree/nodes/${leaf?.id}`);
    expect(refusedLeaf.json().error).toMatchObject({ code: 'TREE_NODE_NOT_EMPTY', details: { hosts: 1, apps: 0 } });
    expect(refusedLeaf.json().error.message).toContain('1 host');
    const refused = await f.admin().del(`/api/v1/tree/nodes/${top?.id}`);
    expect(refused.json().error.details).toMatchObject({ children: 1, hosts: 1, apps: 1 });
    expect((await f.admin().del(`/api/v1/tree/nodes/${top?.id}?cascade=true`)).json()).toEqual({ ok: true, deleted: 2 });
    expect((await f.admin().get(`/api/v1/hosts/${h.id}`)).json()).toMatchObject({ hostname: 'del-h-01', nodes: [] });
    expect((await f.admin().get(`/api/v1/apps/${app.id}`)).json()).toMatchObject({ name: 'shop-api', node: null });
  });
});
