import type { TokenView } from '@opsline/contracts';
import { NButton, type DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { monoCell, timeCell } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';

interface Ctx {
  t: Translate;
  onRevoke: (token: TokenView) => void;
}

export function tokenColumns({ t, onRevoke }: Ctx): DataTableColumns<TokenView> {
  return [
    { key: 'name', title: t('tokens.name'), render: (r) => h('strong', null, r.name) },
    { key: 'prefix', title: t('tokens.prefix'), render: (r) => monoCell(`${r.prefix}…`) },
    { key: 'createdAt', title: t('common.createdAt'), render: (r) => timeCell(r.createdAt) },
    { key: 'expiresAt', title: t('tokens.expiresAt'), render: (r) => timeCell(r.expiresAt, t('tokens.never')) },
    { key: 'lastUsedAt', title: t('tokens.lastUsedAt'), render: (r) => timeCell(r.lastUsedAt, t('tokens.neverUsed')) },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 100,
      align: 'right',
      render: (r) =>
        h(
          NButton,
          { size: 'tiny', type: 'error', secondary: true, onClick: () => onRevoke(r), 'data-testid': 'token-revoke' },
          { default: () => t('tokens.revoke') },
        ),
    },
  ];
}
