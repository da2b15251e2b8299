import { z } from 'zod';
import { ALERT_SEVERITIES, type AlertSeverity } from './alert-integrations.js';
import { LabelMatcher } from './alerts.js';
import { Description, Id, IsoDate, Name, PageQuery } from './common.js';

/**
 * On-call (值班): rotation schedules in layers with overrides, escalation
 * policies, routing rules that pick a policy for an alert, and each user's
 * own notification rules (which channels, by severity and time of day).
 */

/** P0 (worst) to P5: the alert integrations define the list; on-call routes and notifies by it. */
export const SEVERITIES = ALERT_SEVERITIES;
export type Severity = AlertSeverity;

function knownZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
/** An IANA time zone (`Asia/Shanghai`, `America/New_York`, `UTC`), checked against the runtime's zone data. */
export const IanaZone = z.string().trim().min(1).max(64).refine(knownZone, 'not a time zone (use an IANA name such as Asia/Shanghai or UTC)');
/** A wall-clock time, `HH:MM` from 00:00 to 23:59. */
export const WallClock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00 to 23:59');
/** 0 = Sunday … 6 = Saturday. */
export const Weekday = z.number().int().min(0).max(6);
export const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((d) => new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a calendar date');

const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6];
/**
 * A weekly window on the wall clock: on each listed day from `from` to `to`.
 * When `to` is not after `from` it runs past midnight (20:00–08:00 is each
 * listed evening into the next morning); 00:00–00:00 is the whole day.
 */
export const DayWindow = z.strictObject({ days: z.array(Weekday).min(1).max(7).default(ALL_DAYS), from: WallClock, to: WallClock });
export type DayWindow = z.infer<typeof DayWindow>;
/** A day window read in its own time zone (routing rules, notification rules). */
export const TimeWindow = DayWindow.extend({ timeZone: IanaZone });
export type TimeWindow = z.infer<typeof TimeWindow>;

// ---------------------------------------------------------------- schedules

export const ROTATION_TYPES = ['daily', 'weekly', 'custom'] as const;
/**
 * Who is next, and when: handoffs happen at `handoffTime` on the schedule's
 * wall clock (across a daylight-saving change a daily 09:00 handoff stays at
 * 09:00, so that shift lasts 23 or 25 hours). The first handoff is on
 * `startDate` (weekly: the first `handoffDay` on or after it); before it the
 * layer has nobody.
 */
export const Rotation = z
  .strictObject({
    type: z.enum(ROTATION_TYPES),
    /** custom only: wall-clock hours per shift. */
    lengthHours: z.number().int().min(1).max(2_160).optional(),
    handoffTime: WallClock,
    /** weekly only: the day of the handoff (default: startDate's). */
    handoffDay: Weekday.optional(),
    startDate: LocalDate,
  })
  .refine((r) => r.type !== 'custom' || r.lengthHours !== undefined, { path: ['lengthHours'], message: 'a custom rotation needs lengthHours' });
export type Rotation = z.infer<typeof Rotation>;

export const ScheduleLayer = z.strictObject({
  name: Name.optional(),
  /** In rotation order: shift k is the k-th user's (mod their number). */
  userIds: z.array(Id).min(1).max(100),
  rotation: Rotation,
  /** Only inside these windows (the schedule's zone) does this layer have someone; none: always. */
  restrictions: z.array(DayWindow).max(20).default([]),
});
export type ScheduleLayer = z.infer<typeof ScheduleLayer>;

export const OncallScheduleBody = z.strictObject({
  name: Name,
  description: Description.default(''),
  timeZone: IanaZone,
  teamId: Id.nullish(),
  /** Lowest first: where a higher layer has someone, it wins. */
  layers: z.array(ScheduleLayer).min(1).max(10),
});
export type OncallScheduleBody = z.infer<typeof OncallScheduleBody>;

export const OncallPerson = z.object({ userId: z.string(), username: z.string() });
export type OncallPerson = z.infer<typeof OncallPerson>;

export const OncallScheduleView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  timeZone: z.string(),
  teamId: z.string().nullable(),
  layers: z.array(ScheduleLayer.extend({ name: z.string() })),
  /** Who is on call at the time of the answer. */
  onCallNow: z.array(OncallPerson),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type OncallScheduleView = z.infer<typeof OncallScheduleView>;
export const OncallScheduleListQuery = PageQuery.extend({ teamId: Id.optional() });
export type OncallScheduleListQuery = z.infer<typeof OncallScheduleListQuery>;

/** One stretch of the final schedule: `layer` is the index of the layer it comes from (null for an override). */
export const OncallShift = OncallPerson.extend({
  layer: z.number().int().nullable(),
  start: IsoDate,
  end: IsoDate,
  override: z.boolean(),
  overrideId: z.string().nullable(),
});
export type OncallShift = z.infer<typeof OncallShift>;
export const OncallAtQuery = z.strictObject({ at: IsoDate.optional() });
export const OncallAnswer = z.object({ at: IsoDate, users: z.array(OncallShift) });
export type OncallAnswer = z.infer<typeof OncallAnswer>;
/** At most 62 days; default: a week from now. */
export const ShiftRangeQuery = z.strictObject({ from: IsoDate.optional(), to: IsoDate.optional() });
export type ShiftRangeQuery = z.infer<typeof ShiftRangeQuery>;
export const OncallShifts = z.object({ from: IsoDate, to: IsoDate, shifts: z.array(OncallShift) });
export type OncallShifts = z.infer<typeof OncallShifts>;

/** Someone takes over the whole schedule from `start` to `end`; of overlapping overrides the newest wins. */
export const OverrideBody = z.strictObject({ userId: Id, start: IsoDate, end: IsoDate });
export type OverrideBody = z.infer<typeof OverrideBody>;
export const OverrideView = OncallPerson.extend({
  id: z.string(),
  scheduleId: z.string(),
  start: IsoDate,
  end: IsoDate,
  createdBy: z.string().nullable(),
  createdAt: IsoDate,
});
export type OverrideView = z.infer<typeof OverrideView>;
export const OverrideParams = z.strictObject({ id: Id, overrideId: Id });

// ---------------------------------------------------------------- escalation policies

export const ESCALATION_TARGET_TYPES = ['user', 'team', 'schedule', 'channel'] as const;
export const EscalationTarget = z.strictObject({ type: z.enum(ESCALATION_TARGET_TYPES), id: Id });
export type EscalationTarget = z.infer<typeof EscalationTarget>;
/** A level is paged, then has `delayMinutes` to acknowledge before the next level is. */
export const EscalationLevel = z.strictObject({ delayMinutes: z.number().int().min(1).max(1_440), targets: z.array(EscalationTarget).min(1).max(50) });
export type EscalationLevel = z.infer<typeof EscalationLevel>;
export const EscalationPolicyBody = z.strictObject({
  name: Name,
  description: Description.default(''),
  levels: z.array(EscalationLevel).min(1).max(20),
  /** How many times the whole chain starts again after its last level. */
  repeat: z.number().int().min(0).max(10).default(0),
});
export type EscalationPolicyBody = z.infer<typeof EscalationPolicyBody>;
export const EscalationPolicyView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  levels: z.array(EscalationLevel),
  repeat: z.number().int(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type EscalationPolicyView = z.infer<typeof EscalationPolicyView>;

// ---------------------------------------------------------------- routing rules

/** Every condition given must hold; an empty list is no condition. */
export const RoutingMatch = z.strictObject({
  labels: z.array(LabelMatcher).max(20).default([]),
  severities: z.array(z.enum(SEVERITIES)).max(6).default([]),
  /** The alert's node is this node or below it. */
  nodeId: Id.nullish(),
  /** Inside any of these windows. */
  timeWindows: z.array(TimeWindow).max(20).default([]),
});
export type RoutingMatch = z.infer<typeof RoutingMatch>;
/** Stored for the incidents module, which runs the job template on the alert's host at most this often. */
export const SelfHeal = z.strictObject({ templateId: Id, maxPerHostPerHour: z.number().int().min(1).max(60) });
export type SelfHeal = z.infer<typeof SelfHeal>;
export const RoutingRuleBody = z.strictObject({
  name: Name,
  /** Lower first; default: after the last rule. */
  order: z.number().int().min(0).max(1_000_000).optional(),
  enabled: z.boolean().default(true),
  match: RoutingMatch.default({ labels: [], severities: [], timeWindows: [] }),
  escalationPolicyId: Id,
  /** Matching goes on to later rules (else it stops at this one). */
  continue: z.boolean().default(false),
  selfHeal: SelfHeal.nullish(),
});
export type RoutingRuleBody = z.infer<typeof RoutingRuleBody>;
export const RoutingRuleView = z.object({
  id: z.string(),
  name: z.string(),
  order: z.number().int(),
  enabled: z.boolean(),
  match: RoutingMatch,
  escalationPolicyId: z.string(),
  continue: z.boolean(),
  selfHeal: SelfHeal.nullable(),
  /** Who made it: a self-healing run starts as them, with their permissions. */
  createdBy: z.string().nullable(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type RoutingRuleView = z.infer<typeof RoutingRuleView>;
/** Every rule's id once, in the new order. */
export const ReorderRoutingRulesBody = z.strictObject({ ids: z.array(Id).min(1).max(1_000) });
export const RoutingTestBody = z.strictObject({
  labels: z.record(z.string().max(128), z.string().max(4_096)).default({}),
  severity: z.enum(SEVERITIES),
  nodeId: Id.nullish(),
  /** Default: now. */
  at: IsoDate.optional(),
});
export type RoutingTestBody = z.infer<typeof RoutingTestBody>;
export const RoutingTestResult = z.object({
  /** The rules that route the alert, in order. */
  matched: z.array(RoutingRuleView),
  /** Every rule in order, and why one does not route it. */
  checked: z.array(z.object({ ruleId: z.string(), name: z.string(), order: z.number().int(), matched: z.boolean(), reason: z.string().nullable() })),
});
export type RoutingTestResult = z.infer<typeof RoutingTestResult>;

// ---------------------------------------------------------------- per-user notification rules

/** For alerts of these severities (inside a window, if any) send to these channels, `delayMinutes` after being paged. */
export const NotificationRule = z.strictObject({
  severities: z.array(z.enum(SEVERITIES)).min(1).max(6),
  timeWindows: z.array(TimeWindow).max(20).default([]),
  channelIds: z.array(Id).min(1).max(20),
  delayMinutes: z.number().int().min(0).max(1_440).default(0),
});
export type NotificationRule = z.infer<typeof NotificationRule>;
const Phone = z.string().trim().regex(/^\+?[0-9][0-9 ()-]{2,31}$/, 'digits, spaces, ()- and an optional leading +');
/** How channels that take a person's address (SMS/voice gateways, email, DingTalk @mentions) reach the user. */
export const UserContact = z.strictObject({ phone: Phone.optional(), email: z.email().max(254).optional(), dingtalkMobile: Phone.optional() });
export type UserContact = z.infer<typeof UserContact>;
export const UserNotificationBody = z.strictObject({ rules: z.array(NotificationRule).max(50), contact: UserContact.default({}) });
export type UserNotificationBody = z.infer<typeof UserNotificationBody>;
export const UserNotificationView = z.object({
  userId: z.string(),
  username: z.string(),
  rules: z.array(NotificationRule),
  contact: UserContact,
  updatedAt: IsoDate.nullable(),
});
export type UserNotificationView = z.infer<typeof UserNotificationView>;
