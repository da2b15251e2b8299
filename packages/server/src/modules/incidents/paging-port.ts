import type { Priority } from '@opsline/contracts';
import type { SelfHealRule } from './self-heal.js';

/** What incidents need of on-call (the oncall module provides it; see app.ts). */
export interface PagingPort {
  policy(id: string): Promise<{ name: string; levels: { delayMinutes: number; targets: { type: 'user' | 'team' | 'schedule' | 'channel'; id: string }[] }[]; repeat?: number | undefined } | null>;
  route(alert: { labels: Record<string, string>; severity: Priority; nodeId: string | null }, at: Date): Promise<(SelfHealRule & { escalationPolicyId: string })[]>;
  resolveTargets(targets: { type: 'user' | 'team' | 'schedule' | 'channel'; id: string }[], at: Date): Promise<{ userIds: string[]; channelIds: string[] }>;
  userChannels(userId: string, severity: Priority, at: Date): Promise<{ channelIds: string[] }>;
}
