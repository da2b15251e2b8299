import type { SecretView } from '@opsline/contracts';
import type { DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { actionsCell, timeCell } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';

interface Ctx {
  t: Translate;
  canWrite: boolean;
  onRotate: (secret: SecretView) => void;
  onEdit: (secret: SecretView) => void;
  onDelete: (secret: SecretView) => void;
}

/** Stored credentials: what they are called and when they changed, never their values. */
export function secretColumns(ctx: Ctx): DataTableColumns<SecretView> {
  const { t } = ctx;
  const columns: DataTableColumns<SecretView> = [
    {
      key: 'name',
      title: t('secrets.name'),
      minWidth: 200,
      render: (s) => h('code', { 'data-testid': 'secret-row-name' }, s.name),
    },
    {
      key: 'description',
      title: t('secrets.descriptionLabel'),
      minWidth: 200,
      ellipsis: { tooltip: true },
      render: (s) => s.description || h('span', { class: 'muted' }, '—'),
    },
    { key: 'createdAt', title: t('common.createdAt'), width: 180, render: (s) => timeCell(s.createdAt) },
    { key: 'updatedAt', title: t('secrets.updatedAt'), width: 180, render: (s) => timeCell(s.updatedAt) },
  ];
  if (ctx.canWrite) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      align: 'right',
      width: 150,
      render: (s) =>
        actionsCell(
          { key: 'rotate', label: t('secrets.rotate'), run: () => ctx.onRotate(s) },
          [
            { key: 'edit', label: t('secrets.editDescription'), run: () => ctx.onEdit(s) },
            { key: 'delete', label: t('common.delete'), danger: true, run: () => ctx.onDelete(s) },
          ],
          'secret',
        ),
    });
  }
  return columns;
}
