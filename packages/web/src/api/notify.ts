import type {
  ChannelBody,
  ChannelChoice,
  ChannelType,
  ChannelUpdateBody,
  ChannelView,
  NotifyDeliveryView,
  OutboundPolicy,
  Page,
} from '@opsline/contracts';
import { http, pathOf } from './client';
import type { PageParams } from './paging';

/** The notification center: channels (通知渠道), what was sent (发送记录) and the outbound policy (出站策略). */

const CHANNELS = '/channels';
const DELIVERIES = '/notifications';

export interface ChannelFilter {
  type?: ChannelType | null;
  /** Part of the name. */
  q?: string;
}

/** Newest first; secrets are never answered, `secretsSet` names those that are set. */
export const listChannels = (params: PageParams<ChannelFilter> = {}) => http.get<Page<ChannelView>>(CHANNELS, { ...params });

export const getChannel = (id: string) => http.get<ChannelView>(pathOf(CHANNELS, id));

/** Channels by name and type only, which anyone signed in may list (to choose for their own rules): by name, or by ids. */
export const channelChoices = (query: { q?: string; ids?: string[] }) =>
  http.get<{ items: ChannelChoice[] }>(`${CHANNELS}/choices`, { ...(query.q && { q: query.q }), ...(query.ids && { ids: query.ids.join(',') }) });

/** A URL the outbound policy refuses is a 400 NOTIFY_TARGET_REFUSED naming `body.config.url`. */
export const createChannel = (body: ChannelBody) => http.post<ChannelView>(CHANNELS, body);

/** Replaces it; a secret field left out keeps the stored one. The type cannot change. */
export const updateChannel = (id: string, body: ChannelUpdateBody) => http.put<ChannelView>(pathOf(CHANNELS, id), body);

export const deleteChannel = (id: string) => http.delete(pathOf(CHANNELS, id));

/** Sends a test message (none to a disabled channel); follow the deliveries with `getDelivery`. */
export const testChannel = (id: string) => http.post<{ deliveryIds: string[] }>(`${pathOf(CHANNELS, id)}/test`);

export const getOutboundPolicy = () => http.get<OutboundPolicy>(`${CHANNELS}/outbound-policy`);

export const setOutboundPolicy = (body: OutboundPolicy) => http.put<OutboundPolicy>(`${CHANNELS}/outbound-policy`, body);

export interface DeliveryFilter {
  channelId?: string | null;
  status?: NotifyDeliveryView['status'] | null;
  /** Deliveries whose source starts with this (`job-alert:`, `test:`). */
  source?: string;
}

/** Newest first, each with every attempt and the peer's answer. */
export const listDeliveries = (params: PageParams<DeliveryFilter> = {}) => http.get<Page<NotifyDeliveryView>>(DELIVERIES, { ...params });

export const getDelivery = (id: string) => http.get<NotifyDeliveryView>(pathOf(DELIVERIES, id));
