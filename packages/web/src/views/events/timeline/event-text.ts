import { EVENT_PAYLOADS, type EventName, type EventPayload, type EventView } from '@opsline/contracts';
import { formatDateTime } from '../../../platform/format/datetime';
import { shortId } from '../../../platform/format/id';
import { i18n } from '../../../platform/i18n';
import { ALERTING_SENTENCES } from './alerting-sentences';
import type { Builder, Ctx, NameLookup, Sentence } from './sentence-types';

export type { NameLookup } from './sentence-types';

/**
 * Events in the console's language: a sentence from the event's type and
 * payload (messages under `events.text`), a label for each type (`events.types`).
 * A type without a sentence here, or a payload that does not fit its schema,
 * shows the server's English `summary`.
 */

/** Form labels of the fields `user.updated` / `team.updated` list as changed. */
const USER_FIELDS = {
  displayName: 'users.displayName',
  email: 'users.email',
  status: 'users.statusLabel',
  roles: 'users.roles',
  teamIds: 'users.teams',
  password: 'users.password',
};
const TEAM_FIELDS = { name: 'teams.name', description: 'teams.descriptionLabel', memberIds: 'teams.members' };
const TREE_FIELDS = { name: 'tree.name', isLeaf: 'tree.isLeaf', icon: 'tree.icon', description: 'tree.descriptionLabel' };
const HOST_FIELDS = {
  hostname: 'hosts.hostname',
  ips: 'hosts.ips',
  os: 'hosts.os',
  cpuCores: 'hosts.cpuCores',
  memoryMb: 'hosts.memoryMb',
  disks: 'hosts.disks',
  labels: 'cmdb.labels',
  status: 'hosts.status',
  ownerId: 'cmdb.owner',
};
const APP_FIELDS = {
  name: 'apps.name',
  nodeId: 'apps.node',
  description: 'apps.descriptionLabel',
  ownerIds: 'cmdb.owners',
  repoUrl: 'apps.repoUrl',
  runtime: 'apps.runtime',
  ports: 'apps.ports',
  labels: 'cmdb.labels',
};

/** Form labels of the fields the job center's and automation's `*.updated` events list as changed. */
const AUTOMATION_FIELDS = Object.fromEntries(
  [
    'name', 'description', 'language', 'content', 'params', 'nodeId', 'pattern', 'action', 'enabled', 'scriptId', 'scriptVersion',
    'targets', 'strategy', 'templateId', 'workflowId', 'cron', 'timezone', 'overlap', 'misfire', 'steps',
  ].map((f) => [f, `events.text.fields.${f}`]),
);

/** A message key of a family (`schedule.fired.<outcome>`) when the value has one; null (the summary) otherwise. */
const keyed = (family: string, value: string): string | null => (i18n.global.te(`events.text.${family}.${value}`) ? `${family}.${value}` : null);

/** A channel type's name (钉钉, Webhook…); the type itself when the console does not know it. */
const channelType = (type: string): string => (i18n.global.te(`notify.types.${type}`) ? i18n.global.t(`notify.types.${type}`) : type);

/** An incident as its sentences name it: number and title. */
const incident = (p: { number: number; title: string }): { number: string; title: string } => ({ number: String(p.number), title: p.title });

/** Host counts of a finished job run: how many succeeded of how many. */
function hostCounts(counts: Record<string, number>): { success: string; total: string } {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return { success: String(counts.success ?? 0), total: String(total) };
}

/** Type → sentence. Optional per type: a module's new events read as their summary until they get one. */
const SENTENCES: { [N in EventName]?: Builder<N> } = {
  ...ALERTING_SENTENCES,
  'user.created': (p, c) => ['user.created', { actor: c.actor, username: p.username }],
  'user.updated': (p, c) => ['user.updated', { actor: c.actor, username: p.username, fields: c.fields(p.changed, USER_FIELDS) }],
  'user.disabled': (p, c) => ['user.disabled', { actor: c.actor, username: p.username }],
  'user.deleted': (p, c) => ['user.deleted', { actor: c.actor, username: p.username }],
  'user.locked': (p, c) => ['user.locked', { username: p.username, until: c.time(p.until) }],
  'user.password_changed': (p, c) =>
    c.actor === p.username ? ['user.passwordChangedSelf', { username: p.username }] : ['user.passwordChanged', { actor: c.actor, username: p.username }],
  'team.created': (p, c) => ['team.created', { actor: c.actor, name: p.name }],
  'team.updated': (p, c) => ['team.updated', { actor: c.actor, name: p.name, fields: c.fields(p.changed, TEAM_FIELDS) }],
  'team.deleted': (p, c) => ['team.deleted', { actor: c.actor, name: p.name }],
  'role.created': (p, c) => ['role.created', { actor: c.actor, name: p.name }],
  'role.updated': (p, c) => ['role.updated', { actor: c.actor, name: p.name }],
  'role.deleted': (p, c) => ['role.deleted', { actor: c.actor, name: p.name }],
  'grant.created': (p, c) => {
    const scope = p.nodeId ? i18n.global.t('events.text.grant.onNode', { node: shortId(p.nodeId) }) : '';
    if (p.userId) return ['grant.createdUser', { actor: c.actor, role: p.role, subject: c.names.user(p.userId) ?? shortId(p.userId), scope }];
    if (p.teamId) return ['grant.createdTeam', { actor: c.actor, role: p.role, subject: c.names.team(p.teamId) ?? shortId(p.teamId), scope }];
    return null;
  },
  'grant.deleted': (p, c) => ['grant.deleted', { actor: c.actor, role: p.role }],
  'secret.created': (p, c) => ['secret.created', { actor: c.actor, name: p.name }],
  'secret.updated': (p, c) => [p.rotated ? 'secret.rotated' : 'secret.updated', { actor: c.actor, name: p.name }],
  'secret.deleted': (p, c) => ['secret.deleted', { actor: c.actor, name: p.name }],
  'system.started': (p) => ['system.started', { version: p.version, db: p.db }],
  'tree.node.created': (p, c) => ['tree.created', { actor: c.actor, path: p.path }],
  'tree.node.updated': (p, c) => ['tree.updated', { actor: c.actor, path: p.path, fields: c.fields(p.changed, TREE_FIELDS) }],
  'tree.node.renamed': (p, c) => ['tree.renamed', { actor: c.actor, from: p.from, to: p.to }],
  'tree.node.moved': (p, c) => ['tree.moved', { actor: c.actor, from: p.from, to: p.to }],
  'tree.node.deleted': (p, c) =>
    p.descendants > 0 ? ['tree.deletedCascade', { actor: c.actor, path: p.path, n: String(p.descendants) }] : ['tree.deleted', { actor: c.actor, path: p.path }],
  'host.created': (p, c) => ['host.created', { actor: c.actor, hostname: p.hostname }],
  'host.updated': (p, c) => ['host.updated', { actor: c.actor, hostname: p.hostname, fields: c.fields(p.changed, HOST_FIELDS) }],
  'host.deleted': (p, c) => ['host.deleted', { actor: c.actor, hostname: p.hostname }],
  'host.bound': (p, c) => [p.hostIds.length === 1 ? 'host.boundOne' : 'host.bound', { actor: c.actor, path: p.path, n: String(p.hostIds.length) }],
  'host.unbound': (p, c) => [p.hostIds.length === 1 ? 'host.unboundOne' : 'host.unbound', { actor: c.actor, path: p.path, n: String(p.hostIds.length) }],
  'host.imported': (p, c) =>
    ['host.imported', { actor: c.actor, created: String(p.created), updated: String(p.updated), rejected: String(p.rejected) }],
  'host.ssh_credential.set': (p, c) => ['host.sshCredentialSet', { actor: c.actor, hostname: p.hostname, username: p.username }],
  'host.ssh_credential.deleted': (p, c) => ['host.sshCredentialDeleted', { actor: c.actor, hostname: p.hostname }],
  'app.created': (p, c) => ['app.created', { actor: c.actor, name: p.name }],
  'app.updated': (p, c) => ['app.updated', { actor: c.actor, name: p.name, fields: c.fields(p.changed, APP_FIELDS) }],
  'app.deleted': (p, c) => ['app.deleted', { actor: c.actor, name: p.name }],
  'agent.enrollment_token.created': (p, c) =>
    p.name ? ['agent.tokenCreated', { actor: c.actor, name: p.name }] : ['agent.tokenCreatedUnnamed', { actor: c.actor }],
  'agent.enrollment_token.deleted': (p, c) =>
    p.name ? ['agent.tokenDeleted', { actor: c.actor, name: p.name }] : ['agent.tokenDeletedUnnamed', { actor: c.actor }],
  'agent.enrolled': (p) => ['agent.enrolled', { hostname: p.hostname }],
  'agent.revoked': (p, c) => ['agent.revoked', { actor: c.actor, hostname: p.hostname }],
  'exec.started': (p, c) => [p.hostCount === 1 ? 'exec.startedOne' : 'exec.started', { actor: c.actor, n: String(p.hostCount) }],
  'exec.task.killed': (p, c) => ['exec.killed', { actor: c.actor, hostname: p.hostname }],
  'script.created': (p, c) => ['script.created', { actor: c.actor, name: p.name }],
  'script.updated': (p, c) => [
    p.changed.includes('content') || p.changed.includes('params') ? 'script.updatedVersion' : 'script.updated',
    { actor: c.actor, name: p.name, fields: c.fields(p.changed, AUTOMATION_FIELDS), version: String(p.version) },
  ],
  'script.deleted': (p, c) => ['script.deleted', { actor: c.actor, name: p.name }],
  'guard.rule.created': (p, c) => {
    const action = keyed('guard.actions', p.action);
    return ['guard.created', { actor: c.actor, name: p.name, action: action ? i18n.global.t(`events.text.${action}`) : p.action }];
  },
  'guard.rule.updated': (p, c) => ['guard.updated', { actor: c.actor, name: p.name, fields: c.fields(p.changed, AUTOMATION_FIELDS) }],
  'guard.rule.deleted': (p, c) => ['guard.deleted', { actor: c.actor, name: p.name }],
  'job.template.created': (p, c) => ['job.templateCreated', { actor: c.actor, name: p.name }],
  'job.template.updated': (p, c) => ['job.templateUpdated', { actor: c.actor, name: p.name, fields: c.fields(p.changed, AUTOMATION_FIELDS) }],
  'job.template.deleted': (p, c) => ['job.templateDeleted', { actor: c.actor, name: p.name }],
  'job.run.started': (p, c) => [p.hostCount === 1 ? 'job.startedOne' : 'job.started', { actor: c.actor, name: p.name, n: String(p.hostCount) }],
  'job.run.blocked': (p, c) => ['job.blocked', { actor: c.actor, name: p.name, rules: c.list(p.rules) }],
  'job.run.paused': (p) => ['job.paused', { name: p.name, reason: p.reason }],
  'job.run.resumed': (p, c) => ['job.resumed', { actor: c.actor, name: p.name }],
  'job.run.killed': (p, c) => ['job.killed', { actor: c.actor, name: p.name }],
  'job.run.retried': (p, c) => [p.hostCount === 1 ? 'job.retriedOne' : 'job.retried', { actor: c.actor, name: p.name, n: String(p.hostCount) }],
  'job.run.finished': (p) => {
    const key = keyed('job.finished', p.status);
    return key ? [key, { name: p.name, ...hostCounts(p.counts) }] : null;
  },
  'schedule.created': (p, c) => ['schedule.created', { actor: c.actor, name: p.name }],
  'schedule.updated': (p, c) => ['schedule.updated', { actor: c.actor, name: p.name, fields: c.fields(p.changed, AUTOMATION_FIELDS) }],
  'schedule.deleted': (p, c) => ['schedule.deleted', { actor: c.actor, name: p.name }],
  'schedule.fired': (p) => {
    const key = keyed('schedule.fired', p.outcome);
    return key ? [key, { name: p.name }] : null;
  },
  'workflow.created': (p, c) => ['workflow.created', { actor: c.actor, name: p.name }],
  'workflow.updated': (p, c) => ['workflow.updated', { actor: c.actor, name: p.name, fields: c.fields(p.changed, AUTOMATION_FIELDS) }],
  'workflow.deleted': (p, c) => ['workflow.deleted', { actor: c.actor, name: p.name }],
  'workflow.run.started': (p, c) => ['workflow.runStarted', { actor: c.actor, name: p.name }],
  'workflow.run.step': (p, c) => {
    const by = p.by ?? c.actor;
    if (p.status === 'success') return ['workflow.approved', { by, name: p.name, step: p.step }];
    if (p.status === 'rejected') return ['workflow.rejected', { by, name: p.name, step: p.step }];
    const state = `automation.states.${p.status}`;
    return ['workflow.step', { name: p.name, step: p.step, status: i18n.global.te(state) ? i18n.global.t(state) : p.status }];
  },
  'workflow.run.resumed': (p, c) => ['workflow.resumed', { actor: c.actor, name: p.name, steps: c.list(p.steps) }],
  'workflow.run.finished': (p) => {
    const key = keyed('workflow.finished', p.status);
    return key ? [key, { name: p.name }] : null;
  },
  'incident.opened': (p, c) => [c.bySystem ? 'incident.openedBySystem' : 'incident.opened', { actor: c.actor, ...incident(p), priority: p.priority }],
  'incident.acknowledged': (p, c) => ['incident.acknowledged', { actor: c.actor, ...incident(p) }],
  'incident.resolved': (p) => (p.by === 'alerts' ? ['incident.resolvedByAlerts', incident(p)] : ['incident.resolved', { by: p.by, ...incident(p) }]),
  'incident.assigned': (p, c) => ['incident.assigned', { actor: c.actor, ...incident(p), assignee: p.assignee }],
  'incident.escalated': (p) => [p.round > 1 ? 'incident.escalatedAgain' : 'incident.escalated', { ...incident(p), level: String(p.level), round: String(p.round) }],
  'incident.sla_breached': (p) => [`incident.slaBreached.${p.target}`, incident(p)],
  'notify.channel.created': (p, c) => ['notify.channelCreated', { actor: c.actor, name: p.name, type: channelType(p.type) }],
  'notify.channel.updated': (p, c) => ['notify.channelUpdated', { actor: c.actor, name: p.name }],
  'notify.channel.deleted': (p, c) => ['notify.channelDeleted', { actor: c.actor, name: p.name }],
  'job.alert.created': (p, c) => ['jobAlert.created', { actor: c.actor, name: p.name }],
  'job.alert.updated': (p, c) => ['jobAlert.updated', { actor: c.actor, name: p.name }],
  'job.alert.deleted': (p, c) => ['jobAlert.deleted', { actor: c.actor, name: p.name }],
};

const isEventName = (type: string): type is EventName => Object.hasOwn(EVENT_PAYLOADS, type);

function sentence<N extends EventName>(type: N, payload: unknown, ctx: Ctx): Sentence {
  const build = SENTENCES[type];
  if (!build) return null;
  const parsed = EVENT_PAYLOADS[type].safeParse(payload);
  return parsed.success ? build(parsed.data as EventPayload<N>, ctx) : null;
}

/** The server's own doings (first start, lockouts) have no actor id, and its name is "system" or none. */
const isSystem = (event: Pick<EventView, 'actorId' | 'actorName'>): boolean => event.actorId === null && (event.actorName === null || event.actorName === 'system');

function actorOf(event: Pick<EventView, 'actorId' | 'actorName'>, system: string): string {
  return isSystem(event) ? system : (event.actorName ?? system);
}

const NO_NAMES: NameLookup = { user: () => null, team: () => null };

/**
 * What happened, as a sentence in the console's language; null for a type
 * this console has no sentence for (show the server's `summary` then).
 */
export function eventSentence(event: Pick<EventView, 'type' | 'payload' | 'actorId' | 'actorName'>, names: NameLookup = NO_NAMES): string | null {
  if (!isEventName(event.type)) return null;
  const { t, locale } = i18n.global;
  const list = (items: readonly string[]) => new Intl.ListFormat(locale.value, { type: 'conjunction' }).format(items);
  const ctx: Ctx = {
    actor: actorOf(event, t('events.system')),
    bySystem: isSystem(event),
    fields: (changed, labels) =>
      list(
        changed.map((f) => {
          const label = labels[f];
          return label ? t(label) : f;
        }),
      ),
    list,
    time: (iso) => formatDateTime(iso, locale.value),
    names,
  };
  const found = sentence(event.type, event.payload, ctx);
  if (!found) return null;
  const [key, params] = found;
  return i18n.global.te(`events.text.${key}`) ? t(`events.text.${key}`, params) : null;
}

/** A type's name, e.g. "User created"; the type itself when there is none. */
export function eventTypeLabel(type: string): string {
  const key = `events.types.${type}`;
  return i18n.global.te(key) ? i18n.global.t(key) : type;
}

/** What a type prefix (`user`) or a resource type is about, e.g. "user"; the word itself when unknown. */
export function eventKindLabel(kind: string): string {
  const key = `events.kinds.${kind}`;
  return i18n.global.te(key) ? i18n.global.t(key) : kind;
}
