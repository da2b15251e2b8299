import type { UserView } from '@opsline/contracts';
import { NTag, type DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { actionsCell, tagsCell, timeCell, type RowAction } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';

interface Ctx {
  t: Translate;
  canWrite: boolean;
  selfId: string | null;
  teamName: (id: string) => string;
  onEdit: (u: UserView) => void;
  onToggleStatus: (u: UserView) => void;
  onResetPassword: (u: UserView) => void;
  onDelete: (u: UserView) => void;
  /** With oncall:admin: open the user's notification rules. */
  onNotificationRules?: (u: UserView) => void;
}

export function userColumns(ctx: Ctx): DataTableColumns<UserView> {
  const { t } = ctx;
  const columns: DataTableColumns<UserView> = [
    {
      key: 'username',
      title: t('users.user'),
      minWidth: 180,
      render: (u) =>
        h('div', { class: 'user-cell' }, [
          h('div', { class: 'user-cell__name', 'data-testid': 'user-row-username' }, u.username),
          u.displayName && u.displayName !== u.username ? h('div', { class: 'muted user-cell__sub' }, u.displayName) : null,
        ]),
    },
    { key: 'email', title: t('users.email'), render: (u) => u.email ?? h('span', { class: 'muted' }, '—') },
    { key: 'roles', title: t('users.roles'), render: (u) => tagsCell(u.roles, 'info') },
    { key: 'teams', title: t('users.teams'), render: (u) => tagsCell(u.teamIds.map(ctx.teamName)) },
    {
      key: 'status',
      title: t('users.statusLabel'),
      width: 100,
      render: (u) =>
        h(
          NTag,
          { size: 'small', bordered: false, type: u.status === 'active' ? 'success' : 'default' },
          { default: () => t(`users.status.${u.status}`) },
        ),
    },
    { key: 'lastLoginAt', title: t('users.lastLogin'), render: (u) => timeCell(u.lastLoginAt, t('users.neverSignedIn')) },
    { key: 'createdAt', title: t('common.createdAt'), render: (u) => timeCell(u.createdAt) },
  ];
  if (ctx.canWrite) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      align: 'right',
      fixed: 'right',
      width: 110,
      render: (u) => {
        const self = u.id === ctx.selfId;
        const more: RowAction[] = [
          { key: 'status', label: u.status === 'active' ? t('users.disable') : t('users.enable'), disabled: self, run: () => ctx.onToggleStatus(u) },
          { key: 'password', label: t('users.resetPassword'), run: () => ctx.onResetPassword(u) },
          { key: 'delete', label: t('common.delete'), danger: true, disabled: self, run: () => ctx.onDelete(u) },
        ];
        const openRules = ctx.onNotificationRules;
        if (openRules) more.splice(2, 0, { key: 'notification-rules', label: t('oncall.notifications.link'), run: () => openRules(u) });
        return actionsCell({ key: 'edit', label: t('common.edit'), run: () => ctx.onEdit(u) }, more, 'user');
      },
    });
  }
  return columns;
}
