import type { Severity, UserContact, UserNotificationBody, UserNotificationView } from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import type { PlatformServices } from '../../platform/services.js';
import { oncallRepo, type UserSettingsRow } from './oncall.repo.js';
import type { TargetDirectory } from './targets.js';
import { inTimeWindows } from './time-window.js';

/** What a paged user wants: channels now, channels later (a rule's delay), and how to reach them. */
export interface UserChannels {
  channelIds: string[];
  /** Rules with a delay: their channels, that many minutes after the page if nobody has acknowledged. */
  delayed: { delayMinutes: number; channelIds: string[] }[];
  contact: UserContact;
}

/**
 * Each user's notification rules (通知规则): which channels, by severity and
 * time of day (P0–P1 at night: voice gateway and DingTalk; by day: IM only),
 * and their contact for channels that address a person.
 */
export function createNotificationRuleService(deps: { platform: PlatformServices; directory: TargetDirectory }) {
  const { platform, directory } = deps;
  const { db, clock, users } = platform;

  const view = (userId: string, username: string, row: UserSettingsRow | undefined): UserNotificationView => ({
    userId, username, rules: row?.rules ?? [], contact: row?.contact ?? {}, updatedAt: row?.updatedAt.toISOString() ?? null,
  });

  return {
    async get(userId: string): Promise<UserNotificationView> {
      const user = await users.get(userId);
      return view(user.id, user.username, await oncallRepo.userSettings(db, userId));
    },

    /** Before the change: the user and every channel exist (a 404 naming `body.rules.N.channelIds.M`); the username. */
    async prepare(userId: string, body: UserNotificationBody): Promise<string> {
      const user = await users.get(userId);
      for (const [i, rule] of body.rules.entries()) await directory.checkIds('channel', rule.channelIds, `body.rules.${i}.channelIds`);
      return user.username;
    },

    async replace(ctx: MutationContext, userId: string, username: string, body: UserNotificationBody): Promise<UserNotificationView> {
      const before = await oncallRepo.userSettings(ctx.tx, userId);
      const row: UserSettingsRow = { userId, rules: body.rules, contact: body.contact, updatedAt: clock.now() };
      await oncallRepo.saveUserSettings(ctx.tx, row);
      // Contact details are personal: the audit keeps which fields were set, not the numbers.
      const redacted = (r: UserSettingsRow | undefined) => r && { rules: r.rules, contact: Object.keys(r.contact) };
      Object.assign(ctx.audit, { targetType: 'user', targetId: userId, before: redacted(before), after: redacted(row) });
      await ctx.emit('oncall.notification_rules.updated', { userId, username }, {
        summary: `notification rules of ${username} changed`, resourceType: 'user', resourceId: userId,
      });
      return view(userId, username, row);
    },

    /** The channels the user's rules pick for an alert of `severity` at `at` (channels since deleted left out), and their contact. */
    async userChannels(userId: string, severity: Severity, at: Date): Promise<UserChannels> {
      const row = await oncallRepo.userSettings(db, userId);
      const rules = (row?.rules ?? []).filter((r) => r.severities.includes(severity) && inTimeWindows(r.timeWindows, at));
      const existing = await directory.existing('channel', rules.flatMap((r) => r.channelIds));
      const now = new Set<string>();
      const later = new Map<number, Set<string>>();
      for (const r of rules) {
        const into = r.delayMinutes === 0 ? now : (later.get(r.delayMinutes) ?? later.set(r.delayMinutes, new Set()).get(r.delayMinutes));
        for (const c of r.channelIds) if (existing.has(c)) into?.add(c);
      }
      return {
        channelIds: [...now],
        delayed: [...later.entries()].sort(([a], [b]) => a - b).map(([delayMinutes, ids]) => ({ delayMinutes, channelIds: [...ids] })),
        contact: row?.contact ?? {},
      };
    },
  };
}

export type NotificationRuleService = ReturnType<typeof createNotificationRuleService>;
