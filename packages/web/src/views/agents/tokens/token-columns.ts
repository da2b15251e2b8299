import type { EnrollmentTokenView } from '@opsline/contracts';
import type { DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { actionsCell, monoCell, statusTag, timeCell, type TagType } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';

interface Ctx {
  t: Translate;
  /** Delete is offered to agent:admin only. */
  canAdmin: boolean;
  onDelete: (token: EnrollmentTokenView) => void;
}

const STATE_TAG: Record<EnrollmentTokenView['state'], TagType> = { active: 'success', expired: 'default', used_up: 'warning' };

export function enrollmentTokenColumns(ctx: Ctx): DataTableColumns<EnrollmentTokenView> {
  const { t } = ctx;
  const columns: DataTableColumns<EnrollmentTokenView> = [
    { key: 'prefix', title: t('enrollTokens.prefix'), width: 130, render: (r) => monoCell(`${r.prefix}…`) },
    {
      key: 'name',
      title: t('enrollTokens.name'),
      minWidth: 120,
      render: (r) => (r.name ? h('strong', { 'data-testid': 'enroll-token-row-name' }, r.name) : h('span', { class: 'muted' }, '—')),
    },
    { key: 'node', title: t('enrollTokens.node'), minWidth: 160, render: (r) => (r.node ? h('code', { title: r.node.path }, r.node.path) : h('span', { class: 'muted' }, t('enrollTokens.noNode'))) },
    { key: 'uses', title: t('enrollTokens.uses'), width: 90, render: (r) => h('span', { class: 'nowrap', 'data-testid': 'enroll-token-uses' }, `${r.uses} / ${r.maxUses}`) },
    { key: 'expiresAt', title: t('enrollTokens.expiresAt'), width: 170, render: (r) => timeCell(r.expiresAt) },
    { key: 'state', title: t('enrollTokens.state'), width: 90, render: (r) => statusTag(t(`enrollTokens.states.${r.state}`), STATE_TAG[r.state], 'enroll-token-state') },
    { key: 'createdAt', title: t('common.createdAt'), width: 170, render: (r) => timeCell(r.createdAt) },
  ];
  if (ctx.canAdmin) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      align: 'right',
      width: 80,
      render: (r) => actionsCell(null, [{ key: 'delete', label: t('common.delete'), danger: true, run: () => ctx.onDelete(r) }], 'enroll-token'),
    });
  }
  return columns;
}
