import { HOST_STATUSES, type HostStatus } from '@opsline/contracts';
import type { VNode } from 'vue';
import { statusTag, type TagType } from '../../../platform/components/cells';
import { bytesText } from '../../../platform/format/bytes';
import { i18n } from '../../../platform/i18n';

const TAG_TYPE: Record<HostStatus, TagType> = {
  online: 'success',
  offline: 'error',
  maintenance: 'warning',
  unknown: 'default',
};

export const hostStatusTag = (status: HostStatus): VNode => statusTag(i18n.global.t(`hosts.statuses.${status}`), TAG_TYPE[status], 'host-status');

/** `16 GB`, `512 MB` */
export const memoryText = (mb: number): string => bytesText(mb * 1024 * 1024);

export const hostStatusOptions = () => HOST_STATUSES.map((value) => ({ value, label: i18n.global.t(`hosts.statuses.${value}`) }));
