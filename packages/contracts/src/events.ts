import { z } from 'zod';
import { IsoDate, PageQuery } from './common.js';

/**
 * Domain events: the name and payload schema of every event any module
 * appends to the timeline. Modules add their events here, in their own block.
 */
const UserRef = z.object({ userId: z.string(), username: z.string() });

export const EVENT_PAYLOADS = {
  'user.created': UserRef,
  'user.updated': UserRef.extend({ changed: z.array(z.string()) }),
  'user.disabled': UserRef,
  'user.deleted': UserRef,
  'user.locked': UserRef.extend({ until: IsoDate }),
  'user.password_changed': UserRef,
  'team.created': z.object({ teamId: z.string(), name: z.string() }),
  'team.updated': z.object({ teamId: z.string(), name: z.string(), changed: z.array(z.string()) }),
  'team.deleted': z.object({ teamId: z.string(), name: z.string() }),
  'role.created': z.object({ roleId: z.string(), name: z.string() }),
  'role.updated': z.object({ roleId: z.string(), name: z.string() }),
  'role.deleted': z.object({ roleId: z.string(), name: z.string() }),
  'grant.created': z.object({
    grantId: z.string(),
    role: z.string(),
    userId: z.string().nullable(),
    teamId: z.string().nullable(),
    nodeId: z.string().nullable(),
  }),
  'grant.deleted': z.object({ grantId: z.string(), role: z.string() }),
  'secret.created': z.object({ secretId: z.string(), name: z.string() }),
  'secret.updated': z.object({ secretId: z.string(), name: z.string(), rotated: z.boolean() }),
  'secret.deleted': z.object({ secretId: z.string(), name: z.string() }),
  'tree.node.created': z.object({ nodeId: z.string(), path: z.string() }),
  'tree.node.updated': z.object({ nodeId: z.string(), path: z.string(), changed: z.array(z.string()) }),
  'tree.node.renamed': z.object({ nodeId: z.string(), from: z.string(), to: z.string(), descendants: z.number().int() }),
  'tree.node.moved': z.object({ nodeId: z.string(), from: z.string(), to: z.string(), descendants: z.number().int() }),
  'tree.node.deleted': z.object({ nodeId: z.string(), path: z.string(), descendants: z.number().int() }),
  'host.created': z.object({ hostId: z.string(), hostname: z.string() }),
  'host.updated': z.object({ hostId: z.string(), hostname: z.string(), changed: z.array(z.string()) }),
  'host.deleted': z.object({ hostId: z.string(), hostname: z.string() }),
  'host.bound': z.object({ nodeId: z.string(), path: z.string(), hostIds: z.array(z.string()) }),
  'host.unbound': z.object({ nodeId: z.string(), path: z.string(), hostIds: z.array(z.string()) }),
  'host.imported': z.object({ created: z.number().int(), updated: z.number().int(), rejected: z.number().int() }),
  'app.created': z.object({ appId: z.string(), name: z.string() }),
  'app.updated': z.object({ appId: z.string(), name: z.string(), changed: z.array(z.string()) }),
  'app.deleted': z.object({ appId: z.string(), name: z.string() }),
  'agent.enrollment_token.created': z.object({ tokenId: z.string(), name: z.string() }),
  'agent.enrollment_token.deleted': z.object({ tokenId: z.string(), name: z.string() }),
  'agent.enrolled': z.object({ agentId: z.string(), hostId: z.string(), hostname: z.string() }),
  'agent.revoked': z.object({ agentId: z.string(), hostname: z.string() }),
  'host.ssh_credential.set': z.object({ hostId: z.string(), hostname: z.string(), username: z.string() }),
  'host.ssh_credential.deleted': z.object({ hostId: z.string(), hostname: z.string() }),
  'exec.started': z.object({ runId: z.string(), taskIds: z.array(z.string()), hostCount: z.number().int() }),
  'exec.task.killed': z.object({ taskId: z.string(), hostname: z.string(), by: z.string() }),
  'script.created': z.object({ scriptId: z.string(), name: z.string(), version: z.number().int() }),
  'script.updated': z.object({ scriptId: z.string(), name: z.string(), version: z.number().int(), changed: z.array(z.string()) }),
  'script.deleted': z.object({ scriptId: z.string(), name: z.string() }),
  'guard.rule.created': z.object({ ruleId: z.string(), name: z.string(), action: z.string() }),
  'guard.rule.updated': z.object({ ruleId: z.string(), name: z.string(), changed: z.array(z.string()) }),
  'guard.rule.deleted': z.object({ ruleId: z.string(), name: z.string() }),
  'job.template.created': z.object({ templateId: z.string(), name: z.string() }),
  'job.template.updated': z.object({ templateId: z.string(), name: z.string(), changed: z.array(z.string()) }),
  'job.template.deleted': z.object({ templateId: z.string(), name: z.string() }),
  'job.run.started': z.object({ runId: z.string(), name: z.string(), hostCount: z.number().int() }),
  'job.run.blocked': z.object({ name: z.string(), rules: z.array(z.string()) }),
  'job.run.paused': z.object({ runId: z.string(), name: z.string(), reason: z.string() }),
  'job.run.resumed': z.object({ runId: z.string(), name: z.string() }),
  'job.run.killed': z.object({ runId: z.string(), name: z.string() }),
  'job.run.retried': z.object({ runId: z.string(), name: z.string(), hostCount: z.number().int() }),
  'job.run.finished': z.object({ runId: z.string(), name: z.string(), status: z.string(), counts: z.record(z.string(), z.number().int()) }),
  'schedule.created': z.object({ scheduleId: z.string(), name: z.string() }),
  'schedule.updated': z.object({ scheduleId: z.string(), name: z.string(), changed: z.array(z.string()) }),
  'schedule.deleted': z.object({ scheduleId: z.string(), name: z.string() }),
  'schedule.fired': z.object({ scheduleId: z.string(), name: z.string(), outcome: z.string(), runId: z.string().nullable() }),
  'workflow.created': z.object({ workflowId: z.string(), name: z.string() }),
  'workflow.updated': z.object({ workflowId: z.string(), name: z.string(), changed: z.array(z.string()) }),
  'workflow.deleted': z.object({ workflowId: z.string(), name: z.string() }),
  'workflow.run.started': z.object({ runId: z.string(), name: z.string() }),
  'workflow.run.step': z.object({ runId: z.string(), name: z.string(), step: z.string(), status: z.string(), by: z.string().nullable() }),
  'workflow.run.resumed': z.object({ runId: z.string(), name: z.string(), steps: z.array(z.string()) }),
  'workflow.run.finished': z.object({ runId: z.string(), name: z.string(), status: z.string() }),
  'notify.channel.created': z.object({ channelId: z.string(), name: z.string(), type: z.string() }),
  'notify.channel.updated': z.object({ channelId: z.string(), name: z.string() }),
  'notify.channel.deleted': z.object({ channelId: z.string(), name: z.string() }),
  'job.alert.created': z.object({ alertId: z.string(), name: z.string() }),
  'job.alert.updated': z.object({ alertId: z.string(), name: z.string() }),
  'incident.opened': z.object({ incidentId: z.string(), number: z.number().int(), title: z.string(), priority: z.string() }),
  'incident.acknowledged': z.object({ incidentId: z.string(), number: z.number().int(), title: z.string() }),
  'incident.resolved': z.object({ incidentId: z.string(), number: z.number().int(), title: z.string(), by: z.string() }),
  'incident.assigned': z.object({ incidentId: z.string(), number: z.number().int(), title: z.string(), assignee: z.string() }),
  'incident.escalated': z.object({ incidentId: z.string(), number: z.number().int(), title: z.string(), level: z.number().int(), round: z.number().int() }),
  'incident.sla_breached': z.object({ incidentId: z.string(), number: z.number().int(), title: z.string(), target: z.enum(['ack', 'resolve']) }),
  'job.alert.deleted': z.object({ alertId: z.string(), name: z.string() }),
  'alert.fired': z.object({
    alertId: z.string(), fingerprint: z.string(), title: z.string(), severity: z.string(), integrationId: z.string().nullable(),
    hostId: z.string().nullable(), silencedBy: z.string().nullable(), inhibitedBy: z.string().nullable().optional(),
  }),
  'alert.resolved': z.object({ alertId: z.string(), fingerprint: z.string(), title: z.string(), severity: z.string() }),
  'alert.acked': z.object({ alertIds: z.array(z.string()), by: z.string() }),
  'integration.created': z.object({ integrationId: z.string(), name: z.string(), type: z.string() }),
  'integration.updated': z.object({ integrationId: z.string(), name: z.string(), changed: z.array(z.string()) }),
  'integration.key_rotated': z.object({ integrationId: z.string(), name: z.string() }),
  'integration.deleted': z.object({ integrationId: z.string(), name: z.string() }),
  'silence.created': z.object({ silenceId: z.string(), comment: z.string() }),
  'silence.updated': z.object({ silenceId: z.string(), comment: z.string() }),
  'silence.deleted': z.object({ silenceId: z.string(), comment: z.string() }),
  'inhibit.rule.created': z.object({ ruleId: z.string(), name: z.string() }),
  'inhibit.rule.updated': z.object({ ruleId: z.string(), name: z.string() }),
  'inhibit.rule.deleted': z.object({ ruleId: z.string(), name: z.string() }),
  'oncall.schedule.created': z.object({ scheduleId: z.string(), name: z.string() }),
  'oncall.schedule.updated': z.object({ scheduleId: z.string(), name: z.string() }),
  'oncall.schedule.deleted': z.object({ scheduleId: z.string(), name: z.string() }),
  'oncall.override.created': z.object({ scheduleId: z.string(), overrideId: z.string(), userId: z.string(), start: IsoDate, end: IsoDate }),
  'oncall.override.deleted': z.object({ scheduleId: z.string(), overrideId: z.string(), userId: z.string() }),
  'oncall.notification_rules.updated': z.object({ userId: z.string(), username: z.string() }),
  'escalation.policy.created': z.object({ policyId: z.string(), name: z.string() }),
  'escalation.policy.updated': z.object({ policyId: z.string(), name: z.string() }),
  'escalation.policy.deleted': z.object({ policyId: z.string(), name: z.string() }),
  'routing.rule.created': z.object({ ruleId: z.string(), name: z.string() }),
  'routing.rule.updated': z.object({ ruleId: z.string(), name: z.string(), changed: z.array(z.string()) }),
  'routing.rule.deleted': z.object({ ruleId: z.string(), name: z.string() }),
  'system.started': z.object({ version: z.string(), db: z.string() }),
} as const;

export type EventName = keyof typeof EVENT_PAYLOADS;
export type EventPayload<N extends EventName> = z.infer<(typeof EVENT_PAYLOADS)[N]>;
export const EVENT_NAMES = Object.keys(EVENT_PAYLOADS) as EventName[];

export const EventSeverity = z.enum(['info', 'warning', 'critical']);
export type EventSeverity = z.infer<typeof EventSeverity>;

export const EventView = z.object({
  /** Monotonic; the SSE stream uses it as the event id for resuming. */
  id: z.string(),
  type: z.string(),
  at: IsoDate,
  severity: EventSeverity,
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  resourceType: z.string().nullable(),
  resourceId: z.string().nullable(),
  /** Service-tree node the event belongs to, when it has one. */
  nodeId: z.string().nullable(),
  summary: z.string(),
  payload: z.unknown(),
});
export type EventView = z.infer<typeof EventView>;

export const EventListQuery = PageQuery.extend({
  /** Exact name, or a prefix ending in `.`: `user.` matches every user event. */
  type: z.string().max(128).optional(),
  resourceType: z.string().max(64).optional(),
  resourceId: z.string().max(128).optional(),
  nodeId: z.string().max(64).optional(),
  severity: EventSeverity.optional(),
  since: IsoDate.optional(),
  until: IsoDate.optional(),
});
export type EventListQuery = z.infer<typeof EventListQuery>;

export const EventStreamQuery = z.strictObject({
  type: z.string().max(128).optional(),
  nodeId: z.string().max(64).optional(),
});
