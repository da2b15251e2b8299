import type { NotifyDeliveryView } from '@opsline/contracts';
import type { DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { timeCell } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';
import { channelTypeLabel } from '../shared/channel-type';
import DeliveryDetails from '../shared/DeliveryDetails.vue';
import DeliveryStatusTag from '../shared/DeliveryStatusTag.vue';

interface Ctx {
  t: Translate;
  onOpenDigest: (id: string) => void;
}

/** What was sent where, newest first; a row opens on every attempt and the peer's answers. */
export function deliveryColumns({ t, onOpenDigest }: Ctx): DataTableColumns<NotifyDeliveryView> {
  return [
    { type: 'expand', renderExpand: (d) => h(DeliveryDetails, { delivery: d, onOpenDigest }) },
    { key: 'createdAt', title: t('notify.deliveries.createdAt'), width: 170, render: (d) => timeCell(d.createdAt) },
    {
      key: 'channel',
      title: t('notify.deliveries.channel'),
      minWidth: 160,
      render: (d) =>
        h('div', null, [
          h('span', { 'data-testid': 'delivery-row-channel' }, d.channelName ?? t('notify.deliveries.channelGone')),
          d.channelType ? h('div', { class: 'muted cell-sub' }, channelTypeLabel(d.channelType)) : null,
        ]),
    },
    { key: 'title', title: t('notify.deliveries.title'), minWidth: 220, ellipsis: { tooltip: true }, render: (d) => h('span', { 'data-testid': 'delivery-row-title' }, d.title) },
    { key: 'source', title: t('notify.deliveries.source'), minWidth: 150, ellipsis: { tooltip: true }, render: (d) => h('code', null, d.source) },
    { key: 'status', title: t('notify.deliveries.status'), width: 100, render: (d) => h(DeliveryStatusTag, { status: d.status }) },
    { key: 'attempts', title: t('notify.deliveries.attempts'), width: 90, align: 'right', render: (d) => h('span', { 'data-testid': 'delivery-row-attempts' }, String(d.attempts)) },
    { key: 'sentAt', title: t('notify.deliveries.sentAt'), width: 170, render: (d) => timeCell(d.sentAt) },
  ];
}
