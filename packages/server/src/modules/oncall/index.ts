import type { FastifyInstance } from 'fastify';
import type { EscalationPolicyView, EscalationTarget, RoutingRuleView, Severity } from '@opsline/contracts';
import type { PlatformServices } from '../../platform/services.js';
import type { TreeModule } from '../tree/index.js';
import { escalationPolicyRoutes } from './escalation-policy.routes.js';
import { createEscalationPolicyService } from './escalation-policy.service.js';
import { notificationRuleRoutes } from './notification-rule.routes.js';
import { createNotificationRuleService, type UserChannels } from './notification-rule.service.js';
import { oncallScheduleRoutes } from './oncall-schedule.routes.js';
import { createScheduleService } from './oncall-schedule.service.js';
import { createShiftService } from './oncall-shift.service.js';
import { routingRuleRoutes } from './routing-rule.routes.js';
import { createRoutingRuleService } from './routing-rule.service.js';
import { createTargetDirectory } from './targets.js';

export type { UserChannels } from './notification-rule.service.js';

/** What other modules (incidents) use of on-call: who to page, through which policy, on which channels. */
export interface OncallService {
  /** User ids on call for a schedule at `at` (override > highest layer with someone > none); none for a schedule that is gone. */
  onCallAt(scheduleId: string, at: Date): Promise<string[]>;
  /** The escalation policy, or null when there is no such policy. */
  policy(id: string): Promise<EscalationPolicyView | null>;
  /** The routing rules an alert matches at `at`, in order, stopping after the first without `continue`. */
  route(alert: { labels: Record<string, string>; severity: Severity; nodeId: string | null }, at: Date): Promise<RoutingRuleView[]>;
  /**
   * Resolves escalation targets to users (a user, a team's members, a
   * schedule's on-call at `at`; active accounts only) and channel ids (those
   * that still exist), deduplicated, in the order first named.
   */
  resolveTargets(targets: EscalationTarget[], at: Date): Promise<{ userIds: string[]; channelIds: string[] }>;
  /**
   * The channels a user wants for a severity at `at` (their rules whose
   * severities and time windows hold), and their contact for templated
   * channels. `channelIds` are for now; `delayed` lists the channels of rules
   * with a delay, to send that many minutes later if still unacknowledged.
   */
  userChannels(userId: string, severity: Severity, at: Date): Promise<UserChannels>;
}

/** Registers schedules, escalation policies, routing rules and users' notification rules; answers the paging service. */
export function registerOncallModule(app: FastifyInstance, platform: PlatformServices, deps: { tree: TreeModule }): OncallService {
  const directory = createTargetDirectory(platform);
  const schedules = createScheduleService({ platform, directory });
  const shifts = createShiftService({ platform, directory });
  const policies = createEscalationPolicyService({ platform, directory, onCallAt: (id, at) => shifts.onCallAt(id, at) });
  const rules = createRoutingRuleService({ platform, tree: deps.tree });
  const notifications = createNotificationRuleService({ platform, directory });
  oncallScheduleRoutes(app, schedules, shifts);
  escalationPolicyRoutes(app, policies);
  routingRuleRoutes(app, rules, platform.clock);
  notificationRuleRoutes(app, notifications, platform.rbac);
  return {
    onCallAt: (scheduleId, at) => shifts.onCallAt(scheduleId, at),
    policy: policies.find,
    route: rules.route,
    resolveTargets: (targets, at) => policies.resolveTargets(targets, at),
    userChannels: (userId, severity, at) => notifications.userChannels(userId, severity, at),
  };
}
