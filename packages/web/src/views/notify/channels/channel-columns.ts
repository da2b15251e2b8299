import type { ChannelView } from '@opsline/contracts';
import type { DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { actionsCell, monoCell, timeCell, type RowAction } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';
import { channelTypeTag } from '../shared/channel-type';
import { enabledColumn } from '../shared/enabled-column';

interface Ctx {
  t: Translate;
  canAdmin: boolean;
  /** Channels whose switch is being saved. */
  toggling: ReadonlySet<string>;
  onOpen: (c: ChannelView) => void;
  onToggle: (c: ChannelView, enabled: boolean) => void;
  onTest: (c: ChannelView) => void;
  onDeliveries: (c: ChannelView) => void;
  onDelete: (c: ChannelView) => void;
}

/** The channels: a name opens the form; Send test is the row's button, the rest in its menu. */
export function channelColumns(ctx: Ctx): DataTableColumns<ChannelView> {
  const { t } = ctx;
  const more = (c: ChannelView): RowAction[] => [
    { key: 'edit', label: ctx.canAdmin ? t('common.edit') : t('notify.channels.view'), run: () => ctx.onOpen(c) },
    { key: 'deliveries', label: t('notify.channels.deliveries'), run: () => ctx.onDeliveries(c) },
    ...(ctx.canAdmin ? [{ key: 'delete', label: t('common.delete'), danger: true, run: () => ctx.onDelete(c) }] : []),
  ];
  return [
    {
      key: 'name',
      title: t('notify.channels.name'),
      minWidth: 180,
      render: (c) =>
        h('a', { class: 'table-link', href: '#', 'data-testid': 'channel-row-name', onClick: (e: Event) => (e.preventDefault(), ctx.onOpen(c)) }, c.name),
    },
    { key: 'type', title: t('notify.channels.type'), width: 140, render: (c) => channelTypeTag(c.type, 'channel-row-type') },
    { key: 'target', title: t('notify.channels.target'), minWidth: 200, ellipsis: { tooltip: true }, render: (c) => monoCell(c.target || null) },
    enabledColumn<ChannelView>({ title: t('notify.channels.enabled'), canChange: ctx.canAdmin, toggling: ctx.toggling, testId: 'channel-row-enabled', onToggle: ctx.onToggle }),
    { key: 'rate', title: t('notify.channels.rate'), width: 120, render: (c) => h('span', { class: 'nowrap' }, t('notify.channels.rateCell', { n: c.ratePerMinute })) },
    { key: 'updatedAt', title: t('notify.channels.updatedAt'), width: 170, render: (c) => timeCell(c.updatedAt) },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 140,
      align: 'right',
      render: (c) => actionsCell(ctx.canAdmin ? { key: 'test', label: t('notify.channels.test'), run: () => ctx.onTest(c) } : null, more(c), 'channel'),
    },
  ];
}
