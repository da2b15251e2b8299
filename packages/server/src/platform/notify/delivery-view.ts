import type { ChannelType, NotifyDeliveryView } from '@opsline/contracts';
import type { notifyDeliveries } from './notify.tables.js';

export function deliveryView(d: typeof notifyDeliveries.$inferSelect, channelName: string | null, channelType: string | null): NotifyDeliveryView {
  return {
    id: d.id, channelId: d.channelId, channelName, channelType: channelType as ChannelType | null, source: d.source, title: d.title,
    status: d.status as NotifyDeliveryView['status'], attempts: d.attempts, log: d.log, error: d.error, digestId: d.digestId,
    nextAttemptAt: d.status === 'pending' ? (d.nextAttemptAt?.toISOString() ?? null) : null,
    createdAt: d.createdAt.toISOString(), sentAt: d.sentAt?.toISOString() ?? null,
  };
}
