import { NotificationRule, UserContact, type Severity, type UserNotificationBody, type UserNotificationView } from '@opsline/contracts';
import type { FormItemRule, FormRules } from 'naive-ui';
import { schemaRule } from '../../../platform/forms/rules';
import { rowsRule } from '../../cmdb/shared/rows';
import { pathParts, rowFieldOf } from '../shared/nested-fields';
import { timeWindowOf, windowRow, windowsProblem, type WindowRow } from '../shared/time-window';

/** One rule while edited; `uid` keeps a card's identity while rules are removed. */
export interface RuleRow {
  uid: string;
  severities: Severity[];
  timeWindows: WindowRow[];
  channelIds: string[];
  delayMinutes: number | null;
}

/** The rules and, as fields of their own, the contact. */
export interface NotificationModel {
  rules: RuleRow[];
  phone: string;
  email: string;
  dingtalkMobile: string;
}

let counter = 0;
export const ruleRow = (r?: NotificationRule): RuleRow => ({
  uid: `rule${++counter}`,
  severities: [...(r?.severities ?? ['P0', 'P1'])],
  timeWindows: (r?.timeWindows ?? []).map((w) => windowRow(w)),
  channelIds: [...(r?.channelIds ?? [])],
  delayMinutes: r?.delayMinutes ?? 0,
});

export const notificationModel = (v: UserNotificationView | null): NotificationModel => ({
  rules: (v?.rules ?? []).map(ruleRow),
  phone: v?.contact.phone ?? '',
  email: v?.contact.email ?? '',
  dingtalkMobile: v?.contact.dingtalkMobile ?? '',
});

const optional = (s: string): string | undefined => s.trim() || undefined;

export const notificationBody = (m: NotificationModel): UserNotificationBody => ({
  rules: m.rules.map((r) => ({ severities: r.severities, timeWindows: r.timeWindows.map(timeWindowOf), channelIds: r.channelIds, delayMinutes: r.delayMinutes ?? 0 })),
  contact: { phone: optional(m.phone), email: optional(m.email), dingtalkMobile: optional(m.dingtalkMobile) },
});

/** `body.contact.phone` → `phone`; `body.rules.1.channelIds.0` → `rules.1.channelIds`. */
export function notificationFieldOf(path: string): string {
  const [top, inner] = pathParts(path);
  return top === 'contact' && inner ? inner : rowFieldOf(path);
}

export function ruleRules(): Record<'severities' | 'channelIds' | 'delayMinutes' | 'timeWindows', FormItemRule> {
  const s = NotificationRule.shape;
  return {
    severities: schemaRule(s.severities, { required: true }),
    channelIds: schemaRule(s.channelIds, { required: true }),
    delayMinutes: schemaRule(s.delayMinutes, { required: true }),
    timeWindows: rowsRule<WindowRow>((rows) => windowsProblem(rows, true)),
  };
}

export function contactRules(): FormRules {
  const s = UserContact.shape;
  return {
    phone: schemaRule(s.phone, { formatKey: 'oncall.notifications.phoneFormat' }),
    email: schemaRule(s.email),
    dingtalkMobile: schemaRule(s.dingtalkMobile, { formatKey: 'oncall.notifications.phoneFormat' }),
  };
}
