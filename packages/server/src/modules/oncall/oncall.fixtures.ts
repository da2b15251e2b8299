import { expect } from 'vitest';
import type { EscalationPolicyView, OncallScheduleView, RoutingRuleView } from '@opsline/contracts';
import { treeFixtures, uniqueName, type TestApp } from '@opsline/test-utils';

/** Test helpers for on-call: people, channels, schedules, policies and rules made through the API as admin. */
export function oncallFixtures(t: TestApp) {
  const f = treeFixtures(t);
  const put = (url: string, body: unknown, token = t.adminToken) => t.call({ method: 'PUT', url, token, body });
  async function created<T>(url: string, body: unknown): Promise<T> {
    const res = await f.admin().post(url, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<T>();
  }
  return {
    ...f,
    put,
    /** A signed-in user without roles, named `<name>-<pid>-<n>`. */
    user: (name: string) => t.userWithRoles([], uniqueName(name)),
    channel: async (name: string): Promise<string> => (await created<{ id: string }>('/api/v1/channels', { name: uniqueName(name), type: 'webhook', config: { url: 'http://127.0.0.1:9/hook' } })).id,
    schedule: (body: Record<string, unknown>) => created<OncallScheduleView>('/api/v1/schedules/oncall', { name: uniqueName('schedule'), ...body }),
    policy: (body: Record<string, unknown>) => created<EscalationPolicyView>('/api/v1/escalation-policies', { name: uniqueName('policy'), ...body }),
    rule: (body: Record<string, unknown>) => created<RoutingRuleView>('/api/v1/routing-rules', { name: uniqueName('rule'), ...body }),
    /** A 4xx answer: its status, code, and the fields it names. */
    refusal: (res: { statusCode: number; json: <T>() => T }) => {
      const { error } = res.json<{ error: { code: string; message: string; details?: { issues?: { field: string }[] } } }>();
      return { status: res.statusCode, code: error.code, message: error.message, fields: (error.details?.issues ?? []).map((i) => i.field) };
    },
  };
}

export const daily = (handoffTime: string, startDate: string) => ({ type: 'daily', handoffTime, startDate });
