import type { NotifyMessage } from '@opsline/contracts';

const LISTED = 30;
const RANK = { info: 0, warning: 1, critical: 2 } as const;

/** One message standing for many held back by a channel's rate: how many, the worst severity, their titles. */
export function digestMessage(held: NotifyMessage[]): NotifyMessage {
  const worst = held.reduce<NotifyMessage['severity']>((w, m) => (RANK[m.severity] > RANK[w] ? m.severity : w), 'info');
  const lines = held.slice(0, LISTED).map((m) => `- [${m.severity}] ${m.title}`);
  if (held.length > LISTED) lines.push(`… and ${held.length - LISTED} more`);
  return {
    title: `${held.length} notification${held.length === 1 ? '' : 's'} held back by this channel's rate limit`,
    text: lines.join('\n'),
    severity: worst,
    source: 'digest',
  };
}
