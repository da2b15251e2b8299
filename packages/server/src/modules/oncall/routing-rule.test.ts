import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, RoutingRuleView, RoutingTestResult, Severity, TreeNodeView } from '@opsline/contracts';
import { buildTestApp, type TestApp } from '@opsline/test-utils';
import { oncallFixtures } from './oncall.fixtures.js';

describe('routing rules', () => {
  let t: TestApp;
  let o: ReturnType<typeof oncallFixtures>;
  let policyId: string;
  let infra: TreeNodeView;
  let db: TreeNodeView;
  let mysql: TreeNodeView;
  let web: TreeNodeView;

  beforeAll(async () => {
    t = await buildTestApp();
    o = oncallFixtures(t);
    const ana = await o.user('ana');
    policyId = (await o.policy({ levels: [{ delayMinutes: 5, targets: [{ type: 'user', id: ana.id }] }] })).id;
    [infra, db, mysql] = (await o.chain('infra.db.mysql')) as [TreeNodeView, TreeNodeView, TreeNodeView];
    [, web] = (await o.chain('apps.web')) as [TreeNodeView, TreeNodeView];
    t.clock.set('2026-06-01T04:00:00Z');
  });
  afterAll(() => t.close());

  const dryRun = async (body: { labels?: Record<string, string>; severity?: Severity; nodeId?: string | null; at?: string }): Promise<RoutingTestResult> => {
    const res = await o.admin().post('/api/v1/routing-rules/test', { severity: 'P2', ...body });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<RoutingTestResult>();
  };
  /** Whether `rule` matches, and why not. */
  const verdict = async (rule: RoutingRuleView, body: Parameters<typeof dryRun>[0]) => {
    const row = (await dryRun(body)).checked.find((c) => c.ruleId === rule.id);
    return row?.matched ? true : row?.reason;
  };
  const removeAll = async () => {
    for (const r of (await o.admin().get('/api/v1/routing-rules')).json<Page<RoutingRuleView>>().items) await o.admin().del(`/api/v1/routing-rules/${r.id}`);
  };

  it('matches labels by equality, inequality, whole-value regex and negated regex, a missing label reading as ""', async () => {
    const rule = await o.rule({
      escalationPolicyId: policyId, continue: true,
      match: { labels: [{ name: 'env', value: 'prod' }, { name: 'service', value: 'mysql|pg', isRegex: true }, { name: 'team', value: 'dba', isEqual: false }, { name: 'host', value: 'test-.*', isRegex: true, isEqual: false }] },
    });
    expect(await verdict(rule, { labels: { env: 'prod', service: 'mysql', host: 'db1' } })).toBe(true);
    expect(await verdict(rule, { labels: { env: 'prod', service: 'pg' } })).toBe(true);
    expect(await verdict(rule, { labels: { env: 'prod', service: 'mysqlx' } })).toBe('label service=~"mysql|pg" does not hold (the alert has "mysqlx")');
    expect(await verdict(rule, { labels: { env: 'prod', service: 'pg', team: 'dba' } })).toContain('team!="dba"');
    expect(await verdict(rule, { labels: { env: 'prod', service: 'pg', host: 'test-3' } })).toContain('host!~"test-.*"');
    expect(await verdict(rule, { labels: { service: 'pg' } })).toBe('label env="prod" does not hold (the alert has "")');
    await removeAll();
  });

  it('matches severities, the node and its subtree, and time windows read in their own zones', async () => {
    const severe = await o.rule({ escalationPolicyId: policyId, continue: true, match: { severities: ['P0', 'P1'] } });
    const dbTree = await o.rule({ escalationPolicyId: policyId, continue: true, match: { nodeId: db.id } });
    const nights = await o.rule({ escalationPolicyId: policyId, continue: true, match: { timeWindows: [{ from: '20:00', to: '08:00', timeZone: 'Asia/Shanghai' }] } });
    const weekends = await o.rule({ escalationPolicyId: policyId, continue: true, match: { timeWindows: [{ days: [0, 6], from: '00:00', to: '00:00', timeZone: 'America/New_York' }] } });

    expect(await verdict(severe, { severity: 'P1' })).toBe(true);
    expect(await verdict(severe, { severity: 'P2' })).toBe('severity P2 is not one of P0, P1');
    expect(await verdict(dbTree, { nodeId: mysql.id })).toBe(true);
    expect(await verdict(dbTree, { nodeId: db.id })).toBe(true);
    expect(await verdict(dbTree, { nodeId: infra.id })).toBe('the alert\'s node is not in the rule\'s subtree');
    expect(await verdict(dbTree, { nodeId: web.id })).toBe('the alert\'s node is not in the rule\'s subtree');
    expect(await verdict(dbTree, {})).toBe('the alert has no node');
    expect(await verdict(nights, { at: '2026-06-01T13:00:00Z' })).toBe(true); // 21:00 in Shanghai
    expect(await verdict(nights, { at: '2026-06-01T23:30:00Z' })).toBe(true); // 07:30 the next morning
    expect(await verdict(nights, {})).toBe('outside the rule\'s time windows'); // the clock: 12:00 in Shanghai
    expect(await verdict(weekends, { at: '2026-06-06T03:00:00Z' })).toBe('outside the rule\'s time windows'); // Friday 23:00 in New York
    expect(await verdict(weekends, { at: '2026-06-06T05:00:00Z' })).toBe(true); // Saturday 01:00
    await removeAll();
  });

  it('routes in order, goes on past a rule with `continue`, stops at the first without, skips disabled rules; reorders', async () => {
    const off = await o.rule({ name: 'off', order: 5, enabled: false, escalationPolicyId: policyId });
    const pageP0 = await o.rule({ name: 'p0', order: 10, continue: true, escalationPolicyId: policyId, match: { severities: ['P0'] } });
    const prod = await o.rule({ name: 'prod', order: 20, escalationPolicyId: policyId, match: { labels: [{ name: 'env', value: 'prod' }] } });
    const prodToo = await o.rule({ name: 'prod-too', escalationPolicyId: policyId, match: { labels: [{ name: 'env', value: 'prod' }] } });
    expect(prodToo.order).toBe(21);
    const names = (rules: RoutingRuleView[]) => rules.map((r) => r.name);
    const at = new Date('2026-06-01T04:00:00Z');

    expect(names(await t.app.oncall.route({ labels: { env: 'prod' }, severity: 'P0', nodeId: null }, at))).toEqual(['p0', 'prod']);
    expect(names(await t.app.oncall.route({ labels: { env: 'prod' }, severity: 'P3', nodeId: null }, at))).toEqual(['prod']);
    expect(names(await t.app.oncall.route({ labels: { env: 'dev' }, severity: 'P3', nodeId: null }, at))).toEqual([]);
    const dry = await dryRun({ labels: { env: 'prod' }, severity: 'P0' });
    expect(dry.matched.map((r) => r.id)).toEqual([pageP0.id, prod.id]);
    expect(dry.checked.map((c) => [c.name, c.reason])).toEqual([['off', 'disabled'], ['p0', null], ['prod', null], ['prod-too', 'matching stopped at prod']]);

    const reordered = await o.admin().post('/api/v1/routing-rules/reorder', { ids: [prodToo.id, prod.id, pageP0.id, off.id] });
    expect(reordered.statusCode, reordered.body).toBe(200);
    expect(reordered.json<Page<RoutingRuleView>>().items.map((r) => [r.name, r.order])).toEqual([['prod-too', 0], ['prod', 1], ['p0', 2], ['off', 3]]);
    expect(names(await t.app.oncall.route({ labels: { env: 'prod' }, severity: 'P0', nodeId: null }, at))).toEqual(['prod-too']);

    const missing = o.refusal(await o.admin().post('/api/v1/routing-rules/reorder', { ids: [prod.id, pageP0.id, off.id] }));
    expect([missing.status, missing.fields]).toEqual([400, ['body.ids']]);
    expect(missing.message).toContain('prod-too');
    const unknown = o.refusal(await o.admin().post('/api/v1/routing-rules/reorder', { ids: [prodToo.id, prod.id, pageP0.id, off.id, '01900000-0000-7000-8000-00000000000e'] }));
    expect([unknown.status, unknown.fields]).toEqual([404, ['body.ids']]);

    const changed = await o.put(`/api/v1/routing-rules/${prodToo.id}`, { name: 'prod-too', escalationPolicyId: policyId, continue: true, match: prodToo.match });
    expect(changed.json<RoutingRuleView>()).toMatchObject({ order: 0, continue: true });
    expect(names(await t.app.oncall.route({ labels: { env: 'prod' }, severity: 'P0', nodeId: null }, at))).toEqual(['prod-too', 'prod']);
    await removeAll();
  });

  it('refuses what cannot be routed, naming the field, and keeps the self-heal settings it is given', async () => {
    const nowhere = '01900000-0000-7000-8000-00000000000d';
    const cases: [Record<string, unknown>, number, string][] = [
      [{ escalationPolicyId: nowhere }, 404, 'body.escalationPolicyId'],
      [{ escalationPolicyId: policyId, match: { nodeId: nowhere } }, 404, 'body.match.nodeId'],
      [{ escalationPolicyId: policyId, match: { labels: [{ name: 'x', value: '(', isRegex: true }] } }, 400, 'body.match.labels.0.value'],
      [{ escalationPolicyId: policyId, match: { timeWindows: [{ from: '20:00', to: '08:00', timeZone: 'Nowhere/City' }] } }, 400, 'body.match.timeWindows.0.timeZone'],
      [{ escalationPolicyId: policyId, match: { severities: ['P9'] } }, 400, 'body.match.severities.0'],
      [{ escalationPolicyId: policyId, selfHeal: { templateId: 'restart', maxPerHostPerHour: 1 } }, 400, 'body.selfHeal.templateId'],
    ];
    for (const [body, status, field] of cases) {
      const r = o.refusal(await o.admin().post('/api/v1/routing-rules', { name: 'bad', ...body }));
      expect([r.status, r.fields], field).toEqual([status, [field]]);
    }
    const selfHeal = { templateId: '01900000-0000-7000-8000-00000000000c', maxPerHostPerHour: 2 };
    const healing = await o.rule({ escalationPolicyId: policyId, selfHeal });
    expect((await o.admin().get(`/api/v1/routing-rules/${healing.id}`)).json<RoutingRuleView>().selfHeal).toEqual(selfHeal);
    await removeAll();
  });

  it('lets a viewer dry-run routing but not change rules (403 naming oncall:admin)', async () => {
    const viewer = await t.userWithRoles(['viewer']);
    expect((await o.as(viewer.token).post('/api/v1/routing-rules/test', { severity: 'P1', labels: {} })).statusCode).toBe(200);
    const r = o.refusal(await o.as(viewer.token).post('/api/v1/routing-rules', { name: 'mine', escalationPolicyId: policyId }));
    expect([r.status, r.message]).toEqual([403, 'You lack the permission oncall:admin']);
  });
});
