import { HOST_STATUSES, type HostStatus } from '@opsline/contracts';
import { NTag } from 'naive-ui';
import { h, type VNode } from 'vue';
import { i18n } from '../../../platform/i18n';

const TAG_TYPE: Record<HostStatus, 'success' | 'error' | 'warning' | 'default'> = {
  online: 'success',
  offline: 'error',
  maintenance: 'warning',
  unknown: 'default',
};

export const hostStatusTag = (status: HostStatus): VNode =>
  h(NTag, { size: 'small', bordered: false, type: TAG_TYPE[status], 'data-testid': 'host-status' }, { default: () => i18n.global.t(`hosts.statuses.${status}`) });

/** `16 GB`, `512 MB` */
export function memoryText(mb: number): string {
  if (mb < 1024) return `${mb} MB`;
  const gb = mb / 1024;
  return `${Number.isInteger(gb) ? gb : gb.toFixed(1)} GB`;
}

export const hostStatusOptions = () => HOST_STATUSES.map((value) => ({ value, label: i18n.global.t(`hosts.statuses.${value}`) }));
