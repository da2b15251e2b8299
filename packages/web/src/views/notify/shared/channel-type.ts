import type { ChannelType } from '@opsline/contracts';
import { NTag } from 'naive-ui';
import { h, type VNode } from 'vue';
import { i18n } from '../../../platform/i18n';

/** A channel type's name in the console's language: 钉钉, Webhook, 短信/语音网关… */
export const channelTypeLabel = (type: ChannelType): string => i18n.global.t(`notify.types.${type}`);

/** A channel type as a small tag, for tables. */
export const channelTypeTag = (type: ChannelType, testId = 'channel-type'): VNode =>
  h(NTag, { size: 'small', bordered: false, type: 'info', 'data-testid': testId, 'data-type': type }, { default: () => channelTypeLabel(type) });
