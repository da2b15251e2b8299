import type {
  EscalationPolicyBody,
  EscalationPolicyView,
  OncallAnswer,
  OncallScheduleBody,
  OncallScheduleView,
  OncallShifts,
  OverrideBody,
  OverrideView,
  Page,
  RoutingRuleBody,
  RoutingRuleView,
  RoutingTestBody,
  RoutingTestResult,
  UserNotificationBody,
  UserNotificationView,
} from '@opsline/contracts';
import { http, pathOf } from './client';
import type { PageParams } from './paging';

/**
 * On-call (值班): schedules with their calendar, overrides and "who is on
 * call", escalation policies, routing rules and each user's notification rules.
 */

/** Static under the job center's cron schedules at /schedules. */
const SCHEDULES = '/schedules/oncall';
const POLICIES = '/escalation-policies';
const RULES = '/routing-rules';

export interface ScheduleFilter {
  teamId?: string | null;
}

/** Newest first, each with who is on call now. */
export const listSchedules = (params: PageParams<ScheduleFilter> = {}) => http.get<Page<OncallScheduleView>>(SCHEDULES, { ...params });

export const getSchedule = (id: string) => http.get<OncallScheduleView>(pathOf(SCHEDULES, id));

/** Unknown users or team: a 404 naming `body.layers.N.userIds.M` or `body.teamId`. */
export const createSchedule = (body: OncallScheduleBody) => http.post<OncallScheduleView>(SCHEDULES, body);

/** Replaces it; its overrides stay. */
export const updateSchedule = (id: string, body: OncallScheduleBody) => http.put<OncallScheduleView>(pathOf(SCHEDULES, id), body);

/** 409 ONCALL_SCHEDULE_IN_USE (`details.policies`) while an escalation policy pages it. */
export const deleteSchedule = (id: string) => http.delete(pathOf(SCHEDULES, id));

/** Who is on call at `at` (default now), from which layer or override, and the stretch they hold. */
export const whoIsOnCall = (id: string, at?: string) => http.get<OncallAnswer>(`${pathOf(SCHEDULES, id)}/oncall`, { at });

/** The final schedule over [from, to) (at most 62 days), computed by the server. */
export const getShifts = (id: string, from: string, to: string) => http.get<OncallShifts>(`${pathOf(SCHEDULES, id)}/shifts`, { from, to });

/** Overrides overlapping [from, to), oldest first. */
export const listOverrides = (id: string, from: string, to: string) => http.get<{ items: OverrideView[] }>(`${pathOf(SCHEDULES, id)}/overrides`, { from, to });

export const createOverride = (id: string, body: OverrideBody) => http.post<OverrideView>(`${pathOf(SCHEDULES, id)}/overrides`, body);

export const deleteOverride = (id: string, overrideId: string) => http.delete(`${pathOf(SCHEDULES, id)}/overrides/${encodeURIComponent(overrideId)}`);

/** Newest first. */
export const listPolicies = (params: PageParams = {}) => http.get<Page<EscalationPolicyView>>(POLICIES, { ...params });

export const getPolicy = (id: string) => http.get<EscalationPolicyView>(pathOf(POLICIES, id));

/** A target that names nothing: a 404 naming `body.levels.N.targets.M.id`. */
export const createPolicy = (body: EscalationPolicyBody) => http.post<EscalationPolicyView>(POLICIES, body);

export const updatePolicy = (id: string, body: EscalationPolicyBody) => http.put<EscalationPolicyView>(pathOf(POLICIES, id), body);

/** 409 ESCALATION_POLICY_IN_USE (`details.rules`) while routing rules use it. */
export const deletePolicy = (id: string) => http.delete(pathOf(POLICIES, id));

/** Every rule, in the order they are tried (one page). */
export const listRoutingRules = () => http.get<Page<RoutingRuleView>>(RULES);

export const createRoutingRule = (body: RoutingRuleBody) => http.post<RoutingRuleView>(RULES, body);

/** Replaces it; without `order` it keeps its place. */
export const updateRoutingRule = (id: string, body: RoutingRuleBody) => http.put<RoutingRuleView>(pathOf(RULES, id), body);

export const deleteRoutingRule = (id: string) => http.delete(pathOf(RULES, id));

/** Every rule's id once, in the new order; answers the rules renumbered. */
export const reorderRoutingRules = (ids: string[]) => http.post<Page<RoutingRuleView>>(`${RULES}/reorder`, { ids });

/** Dry run: which rules route this alert, and why each other one does not. */
export const testRouting = (body: RoutingTestBody) => http.post<RoutingTestResult>(`${RULES}/test`, body);

/** Your own, or anyone's with oncall:admin. */
export const getNotificationRules = (userId: string) => http.get<UserNotificationView>(`${pathOf('/users', userId)}/notification-rules`);

/** Unknown channels: a 404 naming `body.rules.N.channelIds.M`. */
export const saveNotificationRules = (userId: string, body: UserNotificationBody) =>
  http.put<UserNotificationView>(`${pathOf('/users', userId)}/notification-rules`, body);
