import { PeopleOutline, PersonOutline } from '@vicons/ionicons5';
import type { GrantView } from '@opsline/contracts';
import { NButton, NIcon, NTag, type DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { idCell, timeCell } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';

interface Ctx {
  t: Translate;
  canWrite: boolean;
  /** Leave out the scope (a list of one node's grants). */
  hideScope?: boolean;
  userName: (id: string | null) => string;
  onRevoke: (grant: GrantView) => void;
}

const scopeColumn = (t: Translate): DataTableColumns<GrantView>[number] => ({
  key: 'scope',
  title: t('grants.scope'),
  render: (g) =>
    g.nodeId ? h('span', { class: 'nowrap' }, [t('grants.node'), ' ', idCell(g.nodeId)]) : h(NTag, { size: 'small', bordered: false }, { default: () => t('grants.global') }),
});

export function grantColumns(ctx: Ctx): DataTableColumns<GrantView> {
  const { t } = ctx;
  const columns: DataTableColumns<GrantView> = [
    {
      key: 'subject',
      title: t('grants.subject'),
      minWidth: 180,
      render: (g) =>
        h('div', { class: 'subject-cell', title: g.userId ? t('grants.user') : t('grants.team') }, [
          h(NIcon, { component: g.userId ? PersonOutline : PeopleOutline, size: 16 }),
          h('span', { 'data-testid': 'grant-row-subject' }, g.subjectName),
          h('span', { class: 'muted subject-cell__kind' }, g.userId ? t('grants.user') : t('grants.team')),
        ]),
    },
    { key: 'role', title: t('grants.role'), render: (g) => h(NTag, { size: 'small', type: 'info', bordered: false }, { default: () => g.role }) },
    ...(ctx.hideScope ? [] : [scopeColumn(t)]),
    { key: 'createdAt', title: t('common.createdAt'), render: (g) => timeCell(g.createdAt) },
    { key: 'createdBy', title: t('grants.createdBy'), render: (g) => (g.createdBy ? ctx.userName(g.createdBy) : h('span', { class: 'muted' }, t('grants.system'))) },
  ];
  if (ctx.canWrite) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      align: 'right',
      width: 100,
      render: (g) =>
        h(
          NButton,
          { size: 'tiny', type: 'error', secondary: true, onClick: () => ctx.onRevoke(g), 'data-testid': 'grant-revoke' },
          { default: () => t('grants.revoke') },
        ),
    });
  }
  return columns;
}
