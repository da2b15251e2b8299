import type { EventName } from '@opsline/contracts';
import { shortId } from '../../../platform/format/id';
import { i18n } from '../../../platform/i18n';
import type { Builder } from './sentence-types';

/** A user by name when the console knows it, else by a short id. */
const userName = (id: string, lookup: (id: string) => string | null): string => lookup(id) ?? shortId(id);

/** An integration type's name (Alertmanager, Zabbix…); the type itself when unknown. */
const integrationType = (type: string): string => (i18n.global.te(`events.text.alerting.integrationTypes.${type}`) ? i18n.global.t(`events.text.alerting.integrationTypes.${type}`) : type);

/**
 * Sentences for the alert center and on-call: alerts firing and resolving,
 * integrations, silences, schedules and overrides, escalation policies,
 * routing rules and notification rules (messages under `events.text.alerting`).
 */
export const ALERTING_SENTENCES: { [N in EventName]?: Builder<N> } = {
  'alert.fired': (p) => [p.silencedBy ? 'alerting.firedSilenced' : p.inhibitedBy ? 'alerting.firedInhibited' : 'alerting.fired', { title: p.title, severity: p.severity }],
  'alert.resolved': (p) => ['alerting.resolved', { title: p.title, severity: p.severity }],
  'alert.acked': (p, c) => (p.alertIds.length === 1 ? ['alerting.ackedOne', { actor: c.actor }] : ['alerting.acked', { actor: c.actor, n: String(p.alertIds.length) }]),
  'integration.created': (p, c) => ['alerting.integrationCreated', { actor: c.actor, name: p.name, type: integrationType(p.type) }],
  'integration.updated': (p, c) => ['alerting.integrationUpdated', { actor: c.actor, name: p.name }],
  'integration.key_rotated': (p, c) => ['alerting.integrationKeyRotated', { actor: c.actor, name: p.name }],
  'integration.deleted': (p, c) => ['alerting.integrationDeleted', { actor: c.actor, name: p.name }],
  'silence.created': (p, c) => ['alerting.silenceCreated', { actor: c.actor, comment: p.comment }],
  'silence.updated': (p, c) => ['alerting.silenceUpdated', { actor: c.actor, comment: p.comment }],
  'silence.deleted': (p, c) => ['alerting.silenceDeleted', { actor: c.actor, comment: p.comment }],
  'inhibit.rule.created': (p, c) => ['alerting.inhibitCreated', { actor: c.actor, name: p.name }],
  'inhibit.rule.updated': (p, c) => ['alerting.inhibitUpdated', { actor: c.actor, name: p.name }],
  'inhibit.rule.deleted': (p, c) => ['alerting.inhibitDeleted', { actor: c.actor, name: p.name }],
  'oncall.schedule.created': (p, c) => ['alerting.scheduleCreated', { actor: c.actor, name: p.name }],
  'oncall.schedule.updated': (p, c) => ['alerting.scheduleUpdated', { actor: c.actor, name: p.name }],
  'oncall.schedule.deleted': (p, c) => ['alerting.scheduleDeleted', { actor: c.actor, name: p.name }],
  'oncall.override.created': (p, c) => ['alerting.overrideCreated', { actor: c.actor, user: userName(p.userId, c.names.user), start: c.time(p.start), end: c.time(p.end) }],
  'oncall.override.deleted': (p, c) => ['alerting.overrideDeleted', { actor: c.actor, user: userName(p.userId, c.names.user) }],
  'oncall.notification_rules.updated': (p, c) =>
    c.actor === p.username ? ['alerting.notificationRulesSelf', { username: p.username }] : ['alerting.notificationRules', { actor: c.actor, username: p.username }],
  'escalation.policy.created': (p, c) => ['alerting.policyCreated', { actor: c.actor, name: p.name }],
  'escalation.policy.updated': (p, c) => ['alerting.policyUpdated', { actor: c.actor, name: p.name }],
  'escalation.policy.deleted': (p, c) => ['alerting.policyDeleted', { actor: c.actor, name: p.name }],
  'routing.rule.created': (p, c) => ['alerting.ruleCreated', { actor: c.actor, name: p.name }],
  'routing.rule.updated': (p, c) =>
    p.changed.length === 1 && p.changed[0] === 'order' ? ['alerting.ruleMoved', { actor: c.actor, name: p.name }] : ['alerting.ruleUpdated', { actor: c.actor, name: p.name }],
  'routing.rule.deleted': (p, c) => ['alerting.ruleDeleted', { actor: c.actor, name: p.name }],
};
