import type { RoleView } from '@opsline/contracts';
import { NTag, type DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { actionsCell, tagsCell, timeCell } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';
import { roleDescription } from './role-text';

interface Ctx {
  t: Translate;
  canWrite: boolean;
  onEdit: (role: RoleView) => void;
  onDelete: (role: RoleView) => void;
}

export function roleColumns(ctx: Ctx): DataTableColumns<RoleView> {
  const { t } = ctx;
  const columns: DataTableColumns<RoleView> = [
    {
      key: 'name',
      title: t('roles.name'),
      minWidth: 160,
      render: (r) =>
        h('div', { class: 'role-cell' }, [
          h('strong', { 'data-testid': 'role-row-name' }, r.name),
          r.builtin ? h(NTag, { size: 'tiny', bordered: false, type: 'primary', title: t('roles.builtinHint') }, { default: () => t('roles.builtin') }) : null,
        ]),
    },
    { key: 'description', title: t('roles.descriptionLabel'), minWidth: 220, render: (r) => roleDescription(r) || h('span', { class: 'muted' }, '—') },
    {
      key: 'permissions',
      title: t('roles.permissions'),
      minWidth: 260,
      render: (r) =>
        r.permissions.includes('*')
          ? h(NTag, { size: 'small', type: 'warning', bordered: false }, { default: () => t('roles.allPermissions') })
          : tagsCell(r.permissions, 'default', 5),
    },
    { key: 'createdAt', title: t('common.createdAt'), render: (r) => timeCell(r.createdAt) },
  ];
  if (ctx.canWrite) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      align: 'right',
      width: 110,
      render: (r) =>
        // Built-in roles are fixed: their tag says so, and they get no actions.
        r.builtin
          ? null
          : actionsCell(
              { key: 'edit', label: t('common.edit'), run: () => ctx.onEdit(r) },
              [{ key: 'delete', label: t('common.delete'), danger: true, run: () => ctx.onDelete(r) }],
              'role',
            ),
    });
  }
  return columns;
}
