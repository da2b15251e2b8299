import { z } from 'zod';
import { Id, IsoDate, PageQuery } from './common.js';

/**
 * Incidents (事件单): one problem, from a group of alerts or opened by hand.
 * Priority comes from impact × urgency through an editable matrix; each
 * priority has SLA targets (time to acknowledge, time to resolve).
 */
export const PRIORITIES = ['P0', 'P1', 'P2', 'P3', 'P4', 'P5'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const LEVELS = ['high', 'medium', 'low'] as const;
export type Level = (typeof LEVELS)[number];
export const INCIDENT_STATES = ['triggered', 'acknowledged', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATES)[number];

/** impact → urgency → priority. */
export const PriorityMatrix = z.strictObject({
  high: z.strictObject({ high: z.enum(PRIORITIES), medium: z.enum(PRIORITIES), low: z.enum(PRIORITIES) }),
  medium: z.strictObject({ high: z.enum(PRIORITIES), medium: z.enum(PRIORITIES), low: z.enum(PRIORITIES) }),
  low: z.strictObject({ high: z.enum(PRIORITIES), medium: z.enum(PRIORITIES), low: z.enum(PRIORITIES) }),
});
export type PriorityMatrix = z.infer<typeof PriorityMatrix>;
export const DEFAULT_PRIORITY_MATRIX: PriorityMatrix = {
  high: { high: 'P0', medium: 'P1', low: 'P2' },
  medium: { high: 'P1', medium: 'P2', low: 'P3' },
  low: { high: 'P3', medium: 'P4', low: 'P5' },
};
const Minutes = z.number().int().min(1).max(525_600);
export const SlaTargets = z.strictObject(Object.fromEntries(PRIORITIES.map((p) => [p, z.strictObject({ ackMinutes: Minutes, resolveMinutes: Minutes })])) as Record<Priority, z.ZodObject<{ ackMinutes: typeof Minutes; resolveMinutes: typeof Minutes }>>);
export type SlaTargets = z.infer<typeof SlaTargets>;
export const DEFAULT_SLA: SlaTargets = {
  P0: { ackMinutes: 5, resolveMinutes: 60 },
  P1: { ackMinutes: 15, resolveMinutes: 240 },
  P2: { ackMinutes: 30, resolveMinutes: 1_440 },
  P3: { ackMinutes: 120, resolveMinutes: 4_320 },
  P4: { ackMinutes: 480, resolveMinutes: 10_080 },
  P5: { ackMinutes: 1_440, resolveMinutes: 20_160 },
};
/** Alerts of a severity open incidents of this impact and urgency. */
export const SEVERITY_TO_LEVELS: Record<Priority, { impact: Level; urgency: Level }> = {
  P0: { impact: 'high', urgency: 'high' },
  P1: { impact: 'high', urgency: 'medium' },
  P2: { impact: 'medium', urgency: 'medium' },
  P3: { impact: 'medium', urgency: 'low' },
  P4: { impact: 'low', urgency: 'medium' },
  P5: { impact: 'low', urgency: 'low' },
};

export const IncidentSettings = z.strictObject({
  matrix: PriorityMatrix,
  sla: SlaTargets,
  /** Storm protection: more new alerts than this in a minute from one integration or node become one storm incident. */
  stormPerMinute: z.number().int().min(10).max(1_000_000),
  /** Alerts no grouping rule matches are grouped by these labels (plus the node) within the window. */
  defaultGroupBy: z.array(z.string().min(1).max(128)).max(10),
  defaultWindowMinutes: z.number().int().min(1).max(10_080),
  /**
   * An incident opened from alerts pages after this many seconds, like
   * Alertmanager's group_wait: a storm declared meanwhile gathers it unpaged.
   */
  groupWaitSeconds: z.number().int().min(0).max(600),
});
export type IncidentSettings = z.infer<typeof IncidentSettings>;

export const Postmortem = z.strictObject({
  summary: z.string().max(20_000).default(''),
  rootCause: z.string().max(20_000).default(''),
  impact: z.string().max(20_000).default(''),
  actions: z.array(z.strictObject({ text: z.string().trim().min(1).max(1000), ownerId: Id.optional(), done: z.boolean().default(false) })).max(100).default([]),
});
export type Postmortem = z.infer<typeof Postmortem>;

export const CreateIncidentBody = z.strictObject({
  title: z.string().trim().min(1).max(500),
  description: z.string().max(20_000).optional(),
  impact: z.enum(LEVELS).default('medium'),
  urgency: z.enum(LEVELS).default('medium'),
  nodeId: Id.optional(),
  assigneeId: Id.optional(),
  /** Page through this policy; else the routing rules pick one from the incident's node and priority. */
  escalationPolicyId: Id.optional(),
});
export type CreateIncidentBody = z.infer<typeof CreateIncidentBody>;
export const UpdateIncidentBody = z.strictObject({
  title: z.string().trim().min(1).max(500).optional(),
  description: z.string().max(20_000).optional(),
  impact: z.enum(LEVELS).optional(),
  urgency: z.enum(LEVELS).optional(),
  postmortem: Postmortem.optional(),
});
export type UpdateIncidentBody = z.infer<typeof UpdateIncidentBody>;
export const AssignBody = z.strictObject({ userId: Id });
export const NoteBody = z.strictObject({ text: z.string().trim().min(1).max(20_000) });
export const ActionBody = z.strictObject({ comment: z.string().trim().max(2000).optional() });

export const IncidentQuery = PageQuery.extend({
  status: z.enum(INCIDENT_STATES).optional(),
  /** `open`: triggered or acknowledged. */
  open: z.enum(['true', 'false']).optional(),
  priority: z.enum(PRIORITIES).optional(),
  assigneeId: Id.optional(),
  nodeId: Id.optional(),
  /** The incidents holding this alert (an alert's page links to its incident). */
  alertId: Id.optional(),
  q: z.string().trim().max(200).optional(),
});
export type IncidentQuery = z.infer<typeof IncidentQuery>;

export const IncidentView = z.object({
  id: z.string(),
  number: z.number().int(),
  title: z.string(),
  description: z.string(),
  status: z.enum(INCIDENT_STATES),
  impact: z.enum(LEVELS),
  urgency: z.enum(LEVELS),
  priority: z.enum(PRIORITIES),
  source: z.enum(['alerts', 'manual', 'storm']),
  nodeId: z.string().nullable(),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  escalationPolicyId: z.string().nullable(),
  /** The level paged last (0-based), how many times the chain went round, when the next level is paged. */
  escalation: z.object({ level: z.number().int(), round: z.number().int(), nextAt: IsoDate.nullable() }),
  alertCount: z.number().int(),
  /** Firing alerts still attached. */
  firingCount: z.number().int(),
  sla: z.object({ ackDueAt: IsoDate, resolveDueAt: IsoDate, ackBreachedAt: IsoDate.nullable(), resolveBreachedAt: IsoDate.nullable() }),
  postmortem: Postmortem.nullable(),
  createdAt: IsoDate,
  acknowledgedAt: IsoDate.nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: IsoDate.nullable(),
  resolvedBy: z.string().nullable(),
});
export type IncidentView = z.infer<typeof IncidentView>;

export const TIMELINE_KINDS = ['opened', 'alert', 'alert_resolved', 'notified', 'escalated', 'acknowledged', 'resolved', 'reopened', 'assigned', 'note', 'sla_breached', 'changed', 'self_heal'] as const;
export const TimelineEntry = z.object({
  id: z.string(),
  at: IsoDate,
  kind: z.enum(TIMELINE_KINDS),
  actor: z.string().nullable(),
  text: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** A change on the incident's node or below it before it opened: a suspect. */
export const SuspectChange = z.object({
  eventId: z.string(),
  at: IsoDate,
  type: z.string(),
  summary: z.string(),
  actor: z.string().nullable(),
  nodeId: z.string().nullable(),
});
export type SuspectChange = z.infer<typeof SuspectChange>;

/** An alert an incident gathered, and whether it still fires. */
export const IncidentAlert = z.object({
  alertId: z.string(),
  title: z.string(),
  severity: z.string(),
  firing: z.boolean(),
  addedAt: IsoDate,
});
export type IncidentAlert = z.infer<typeof IncidentAlert>;

export const IncidentAlertsQuery = z.strictObject({
  /** Only those still firing (true) or resolved (false). */
  firing: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** The newest `limit` of an incident's alerts, and how many it holds in all (a storm holds thousands). */
export const IncidentAlerts = z.object({ items: z.array(IncidentAlert), total: z.number().int() });
export type IncidentAlerts = z.infer<typeof IncidentAlerts>;

export const GroupingRuleBody = z.strictObject({
  name: z.string().trim().min(1).max(128),
  /** Alerts whose labels match all of these (`name=value`, or a regex with isRegex). */
  match: z.array(z.strictObject({ name: z.string().min(1).max(128), value: z.string().max(1024), isRegex: z.boolean().default(false), isEqual: z.boolean().default(true) })).max(20).default([]),
  /** One incident per distinct value of these labels… */
  groupBy: z.array(z.string().min(1).max(128)).min(1).max(10),
  /** …among alerts arriving within this many minutes of the incident opening. */
  windowMinutes: z.number().int().min(1).max(10_080).default(30),
  order: z.number().int().min(0).max(10_000).default(100),
  enabled: z.boolean().default(true),
});
export type GroupingRuleBody = z.infer<typeof GroupingRuleBody>;
export const GroupingRuleView = GroupingRuleBody.extend({ id: z.string(), createdAt: IsoDate });
export type GroupingRuleView = z.infer<typeof GroupingRuleView>;

export const IncidentDashboardQuery = z.strictObject({ days: z.coerce.number().int().refine((d) => d === 7 || d === 30, 'either 7 or 30').default(7) });
export const IncidentDashboard = z.object({
  days: z.number().int(),
  /** Open incidents (triggered or acknowledged) by priority. */
  openByPriority: z.record(z.enum(PRIORITIES), z.number().int()),
  /** Incidents opened in the period. */
  opened: z.number().int(),
  /** Mean seconds from opening to acknowledgement / to resolution, over those opened in the period; null without any. */
  mttaSeconds: z.number().nullable(),
  mttrSeconds: z.number().nullable(),
  slaBreaches: z.number().int(),
  /** The alerts that opened or joined the most incidents in the period. */
  noisiestAlerts: z.array(z.object({ title: z.string(), count: z.number().int() })),
  noisiestNodes: z.array(z.object({ nodeId: z.string(), path: z.string().nullable(), count: z.number().int() })),
});
export type IncidentDashboard = z.infer<typeof IncidentDashboard>;
