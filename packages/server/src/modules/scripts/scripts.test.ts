import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, treeFixtures, uniqueName, type TestApp } from '@opsline/test-utils';
import type { GuardRuleView, GuardVerdict, ScriptVersionView, ScriptView } from '@opsline/contracts';

describe('the script library and the command guard', () => {
  let t: TestApp;
  let f: ReturnType<typeof treeFixtures>;
  beforeAll(async () => {
    t = await buildTestApp();
    f = treeFixtures(t);
  });
  afterAll(() => t.close());

  const script = (extra: Record<string, unknown> = {}) => ({ name: uniqueName('script'), language: 'bash', content: 'echo hello\n', ...extra });
  async function created(extra: Record<string, unknown> = {}): Promise<ScriptView> {
    const res = await f.admin().post('/api/v1/scripts', script(extra));
    expect(res.statusCode, res.body).toBe(201);
    return res.json<ScriptView>();
  }
  const auditCount = async (action: string): Promise<number> =>
    (await f.admin().get(`/api/v1/audit?action=${action}&limit=500`)).json<{ items: unknown[] }>().items.length;
  /** Runs a change and expects exactly one audit record of `action` from it. */
  async function audited<T>(action: string, change: () => Promise<T>): Promise<T> {
    const before = await auditCount(action);
    const out = await change();
    expect(await auditCount(action), action).toBe(before + 1);
    return out;
  }
  const check = async (content: string) => (await f.admin().post('/api/v1/guard-rules/check', { content })).json<GuardVerdict>();
  const builtin = async (name: string): Promise<GuardRuleView> => {
    const rules = (await f.admin().get('/api/v1/guard-rules?limit=500')).json<{ items: GuardRuleView[] }>().items;
    const rule = rules.find((r) => r.builtin && r.name === name);
    if (!rule) throw new Error(`no built-in rule ${name}`);
    return rule;
  };

  it('saves content and parameters as versions 1, 2, 3 with their messages, and lists and reads them', async () => {
    const s = await audited('script.create', () => created({ params: [{ name: 'TARGET', type: 'string', required: true }] }));
    expect(s).toMatchObject({ version: 1, language: 'bash', node: null, params: [{ name: 'TARGET', type: 'string', required: true, secret: false }] });
    const v2 = await audited('script.update', () => f.admin().patch(`/api/v1/scripts/${s.id}`, { content: 'echo two\n', message: 'say two' }));
    expect(v2.json()).toMatchObject({ version: 2, content: 'echo two\n' });
    const v3 = await f.admin().patch(`/api/v1/scripts/${s.id}`, { params: [], language: 'sh', message: 'no params, plain sh' });
    expect(v3.json()).toMatchObject({ version: 3, language: 'sh', params: [], content: 'echo two\n' });

    const page1 = (await f.admin().get(`/api/v1/scripts/${s.id}/versions?limit=2`)).json<{ items: ScriptVersionView[]; nextCursor: string }>();
    expect(page1.items.map((v) => [v.version, v.message])).toEqual([[3, 'no params, plain sh'], [2, 'say two']]);
    const page2 = (await f.admin().get(`/api/v1/scripts/${s.id}/versions?limit=2&cursor=${page1.nextCursor}`)).json<{ items: ScriptVersionView[]; nextCursor: null }>();
    expect(page2).toMatchObject({ items: [{ version: 1, content: 'echo hello\n', params: [{ name: 'TARGET' }] }], nextCursor: null });
    expect((await f.admin().get(`/api/v1/scripts/${s.id}/versions/2`)).json()).toMatchObject({ version: 2, content: 'echo two\n', language: 'bash' });
    expect((await f.admin().get(`/api/v1/scripts/${s.id}/versions/9`)).json().error.code).toBe('SCRIPT_VERSION_NOT_FOUND');
    expect(await t.app.scripts.version(s.id, 1)).toMatchObject({ scriptId: s.id, version: 1, content: 'echo hello\n' });
    expect(await t.app.scripts.version(s.id)).toMatchObject({ version: 3, language: 'sh' });
    expect(await t.app.scripts.version(s.id, 4)).toBeUndefined();

    const events = (await f.admin().get(`/api/v1/events?type=script.&resourceId=${s.id}`)).json().items as { type: string; payload: { version: number } }[];
    expect(events.map((e) => [e.type, e.payload.version])).toEqual([['script.updated', 3], ['script.updated', 2], ['script.created', 1]]);
  });

  it('makes no version for a save that changes nothing, and changes name and description in place', async () => {
    const s = await created({ description: 'first' });
    const same = await audited('script.update', () => f.admin().patch(`/api/v1/scripts/${s.id}`, { content: s.content, language: 'bash', params: [], message: 'nothing' }));
    expect(same.statusCode).toBe(200);
    expect(same.json()).toMatchObject({ version: 1, updatedAt: s.updatedAt });
    const renamed = await f.admin().patch(`/api/v1/scripts/${s.id}`, { name: `${s.name}-renamed`, description: 'second' });
    expect(renamed.json()).toMatchObject({ version: 1, name: `${s.name}-renamed`, description: 'second' });
    expect((await f.admin().get(`/api/v1/scripts/${s.id}/versions`)).json().items).toHaveLength(1);
  });

  it('refuses a taken name on create and on rename, naming the field', async () => {
    const a = await created();
    const b = await created();
    for (const res of [await f.admin().post('/api/v1/scripts', script({ name: a.name })), await f.admin().patch(`/api/v1/scripts/${b.id}`, { name: a.name })]) {
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'SCRIPT_NAME_TAKEN', details: { issues: [{ field: 'body.name' }] } });
    }
  });

  it('names the field of a bad parameter declaration', async () => {
    const field = async (params: unknown[]) => {
      const res = await f.admin().post('/api/v1/scripts', script({ params }));
      expect(res.statusCode).toBe(400);
      return (res.json().error.details.issues as { field: string }[]).map((i) => i.field);
    };
    expect(await field([{ name: 'MODE', type: 'enum' }])).toContain('body.params.0.options');
    expect(await field([{ name: 'OK', type: 'string' }, { name: 'PASSWORD', type: 'string', secret: true, default: 'hunter2' }])).toContain('body.params.1.default');
    expect(await field([{ name: 'MODE', type: 'enum', options: ['a', 'b'], default: 'c' }])).toContain('body.params.0.default');
    expect(await field([{ name: 'COUNT', type: 'number', default: 'many' }])).toContain('body.params.0.default');
    expect(await field([{ name: 'lower-case', type: 'string' }])).toContain('body.params.0.name');
    expect(await field([{ name: 'A', type: 'string' }, { name: 'a', type: 'bool' }])).toContain('body.params');
    expect(await field([{ name: 'A', type: 'string', options: ['x'] }])).toContain('body.params.0.options');
  });

  it('keeps a user with script:write on node A to scripts on A, below it, and out of B and global ones', async () => {
    const [a, aChild] = await f.chain('scripts-a.web');
    const [b] = await f.chain('scripts-b');
    const onB = await created({ nodeId: b?.id });
    const global = await created();
    const onChild = await created({ nodeId: aChild?.id });
    const u = await f.grantedOn('operator', a?.id ?? '');
    const me = f.as(u.token);

    const mine = await me.post('/api/v1/scripts', script({ nodeId: a?.id }));
    expect(mine.statusCode, mine.body).toBe(201);
    expect(mine.json().node).toEqual({ id: a?.id, path: 'scripts-a' });
    for (const res of [
      await me.post('/api/v1/scripts', script({ nodeId: b?.id })),
      await me.post('/api/v1/scripts', script()),
      await me.patch(`/api/v1/scripts/${onB.id}`, { content: 'echo mine\n' }),
      await me.del(`/api/v1/scripts/${onB.id}`),
      await me.patch(`/api/v1/scripts/${mine.json().id}`, { nodeId: b?.id }),
      await me.patch(`/api/v1/scripts/${mine.json().id}`, { nodeId: null }),
    ]) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().error.message).toContain('script:write');
    }
    expect((await me.patch(`/api/v1/scripts/${mine.json().id}`, { nodeId: aChild?.id })).json().node.path).toBe('scripts-a.web');

    const listed = (await me.get('/api/v1/scripts?limit=500')).json<{ items: ScriptView[] }>().items.map((s) => s.id);
    expect(listed.sort()).toEqual([mine.json().id, onChild.id].sort());
    for (const res of [await me.get(`/api/v1/scripts/${onB.id}`), await me.get(`/api/v1/scripts/${global.id}/versions`), await me.get(`/api/v1/scripts?nodeId=${b?.id}`)]) {
      expect(res.statusCode).toBe(403);
      expect(res.json().error.message).toContain('script:read');
    }
    expect((await me.get(`/api/v1/scripts?nodeId=${aChild?.id}`)).json().items).toHaveLength(2);
  });

  it('filters the list by q, language and node, a page at a time', async () => {
    const [n] = await f.chain('scripts-list');
    const tag = uniqueName('findme');
    for (const [i, language] of (['bash', 'python3', 'bash'] as const).entries()) {
      await created({ name: `${tag}-${i}`, language, nodeId: n?.id, content: language === 'bash' ? 'echo x\n' : 'print(1)\n' });
    }
    await created({ name: `other-${tag}`, description: 'not here' });
    const first = (await f.admin().get(`/api/v1/scripts?q=${tag}&nodeId=${n?.id}&language=bash&limit=1`)).json();
    expect(first.items.map((s: ScriptView) => s.name)).toEqual([`${tag}-0`]);
    const second = (await f.admin().get(`/api/v1/scripts?q=${tag}&nodeId=${n?.id}&language=bash&limit=1&cursor=${first.nextCursor}`)).json();
    expect(second).toMatchObject({ items: [{ name: `${tag}-2` }], nextCursor: null });
    await created({ name: `${tag}-50%` });
    expect((await f.admin().get('/api/v1/scripts?q=%25')).json().items.map((s: ScriptView) => s.name)).toEqual([`${tag}-50%`]);
  });

  it('counts scripts when their node is deleted, and a cascade makes them global', async () => {
    const [n] = await f.chain('scripts-gone');
    const s = await created({ nodeId: n?.id });
    const refused = await f.admin().del(`/api/v1/tree/nodes/${n?.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'TREE_NODE_NOT_EMPTY', details: { scripts: 1 } });
    expect((await f.admin().del(`/api/v1/tree/nodes/${n?.id}?cascade=true`)).statusCode).toBe(200);
    expect((await f.admin().get(`/api/v1/scripts/${s.id}`)).json().node).toBeNull();
  });

  it('deletes a script with its versions', async () => {
    const s = await created();
    await f.admin().patch(`/api/v1/scripts/${s.id}`, { content: 'echo 2\n' });
    const res = await audited('script.delete', () => f.admin().del(`/api/v1/scripts/${s.id}`));
    expect(res.statusCode).toBe(200);
    expect((await f.admin().get(`/api/v1/scripts/${s.id}`)).json().error.code).toBe('SCRIPT_NOT_FOUND');
    expect(await t.app.scripts.version(s.id, 1)).toBeUndefined();
  });

  it('finds rm -rf / on its line (block) and reboot (approve), and allows a harmless script', async () => {
    const blocked = await audited('guard.check', () => check('#!/bin/bash\necho cleaning up\nrm -rf / \n# reboot (only a comment)\n'));
    expect(blocked).toEqual({ action: 'block', matches: [expect.objectContaining({ name: 'rm -rf /', action: 'block', line: 3, text: 'rm -rf /' })] });
    const approve = await check('set -e\napt-get upgrade -y\nsudo reboot\n');
    expect(approve).toMatchObject({ action: 'approve', matches: [{ name: 'shutdown or reboot', line: 3, text: 'sudo reboot' }] });
    expect(await check('rm -rf /tmp/build\n[ -f /var/run/reboot-required ] && echo later\n')).toEqual({ action: 'allow', matches: [] });
    expect((await t.app.scripts.guard(':(){ :|:& };:')).action).toBe('block');
    const viewer = await t.userWithRoles(['viewer']);
    expect((await f.as(viewer.token).post('/api/v1/guard-rules/check', { content: 'reboot' })).json().action).toBe('approve');
  });

  it('keeps built-in rules: they can be disabled, not changed or deleted', async () => {
    const rule = await builtin('rm -rf /');
    expect(rule).toMatchObject({ action: 'block', enabled: true });
    const del = await audited('guard.rule.delete', () => f.admin().del(`/api/v1/guard-rules/${rule.id}`));
    expect(del.statusCode).toBe(409);
    expect(del.json().error.code).toBe('GUARD_RULE_BUILTIN');
    expect((await f.admin().patch(`/api/v1/guard-rules/${rule.id}`, { pattern: 'rm' })).json().error.code).toBe('GUARD_RULE_BUILTIN');

    const off = await audited('guard.rule.update', () => f.admin().patch(`/api/v1/guard-rules/${rule.id}`, { enabled: false }));
    expect(off.json()).toMatchObject({ enabled: false, pattern: rule.pattern });
    expect(await check('rm -rf /')).toEqual({ action: 'allow', matches: [] });
    await f.admin().patch(`/api/v1/guard-rules/${rule.id}`, { enabled: true });
    expect((await check('rm -rf /')).action).toBe('block');
  });

  it('adds, changes and deletes a custom rule, refusing an invalid or runaway pattern', async () => {
    const bad = await f.admin().post('/api/v1/guard-rules', { name: 'broken', pattern: 'rm (', action: 'block' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0].field).toBe('body.pattern');
    const slow = await f.admin().post('/api/v1/guard-rules', { name: 'slow', pattern: '^(a+)+$', action: 'block' });
    expect(slow.statusCode).toBe(400);
    expect(slow.json().error.details.issues[0]).toMatchObject({ field: 'body.pattern', message: expect.stringContaining('backtracks') });

    const res = await audited('guard.rule.create', () => f.admin().post('/api/v1/guard-rules', { name: 'no curl | sh', pattern: String.raw`curl[^|]*\|\s*(ba)?sh`, action: 'approve' }));
    expect(res.statusCode, res.body).toBe(201);
    const rule = res.json<GuardRuleView>();
    expect(rule).toMatchObject({ builtin: false, enabled: true, action: 'approve' });
    expect(await check('echo hi\ncurl -s https://x.example | sh')).toMatchObject({ action: 'approve', matches: [{ ruleId: rule.id, line: 2 }] });
    const renamed = await f.admin().patch(`/api/v1/guard-rules/${rule.id}`, { action: 'block', description: 'pipe to shell' });
    expect(renamed.json()).toMatchObject({ action: 'block', enabled: true, description: 'pipe to shell' });
    expect((await check('curl x | bash')).action).toBe('block');
    expect((await audited('guard.rule.delete', () => f.admin().del(`/api/v1/guard-rules/${rule.id}`))).statusCode).toBe(200);
    expect((await check('curl x | bash')).action).toBe('allow');
    expect((await f.admin().del(`/api/v1/guard-rules/${rule.id}`)).json().error.code).toBe('GUARD_RULE_NOT_FOUND');
  });

  it('lets only guard:admin change rules, and script readers see them', async () => {
    const operator = await t.userWithRoles(['operator']);
    const me = f.as(operator.token);
    expect((await me.get('/api/v1/guard-rules')).statusCode).toBe(200);
    const refused = await me.post('/api/v1/guard-rules', { name: 'x', pattern: 'x', action: 'block' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('guard:admin');
  });

  it('seeds the built-in rules once: a second server on the same database adds none and keeps a disabled one disabled', async () => {
    const rule = await builtin('mkfs');
    await f.admin().patch(`/api/v1/guard-rules/${rule.id}`, { enabled: false });
    const second = await buildTestApp({}, { database: t.testDb, keep: true });
    try {
      const rules = (await second.call({ method: 'GET', url: '/api/v1/guard-rules?limit=500', token: second.adminToken })).json<{ items: GuardRuleView[] }>().items;
      const builtins = rules.filter((r) => r.builtin);
      expect(builtins.map((r) => r.name)).toEqual(['rm -rf /', 'mkfs', 'dd to a disk', 'fork bomb', 'write to a disk device', 'shutdown or reboot', 'chmod -R on /']);
      expect(builtins.find((r) => r.name === 'mkfs')?.enabled).toBe(false);
    } finally {
      await second.close();
      rmSync(second.dataDir, { recursive: true, force: true });
      await f.admin().patch(`/api/v1/guard-rules/${rule.id}`, { enabled: true });
    }
  });
});
