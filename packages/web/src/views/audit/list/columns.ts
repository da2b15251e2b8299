import type { AuditRecordView, AuditResult } from '@opsline/contracts';
import { NTag, type DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { idCell, monoCell, timeCell } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';
import AuditDetail from './AuditDetail.vue';

const RESULT_TYPE: Record<AuditResult, 'success' | 'error' | 'warning'> = {
  success: 'success',
  failure: 'error',
  denied: 'warning',
};

export function auditColumns({ t }: { t: Translate }): DataTableColumns<AuditRecordView> {
  return [
    { type: 'expand', renderExpand: (r) => h(AuditDetail, { record: r }) },
    { key: 'at', title: t('audit.time'), width: 180, render: (r) => timeCell(r.at) },
    { key: 'actor', title: t('audit.actor'), render: (r) => h('span', { class: 'nowrap' }, r.actorName) },
    { key: 'action', title: t('audit.action'), render: (r) => h('code', { 'data-testid': 'audit-row-action' }, r.action) },
    {
      key: 'target',
      title: t('audit.target'),
      render: (r) =>
        r.targetType ? h('span', { class: 'nowrap' }, [`${r.targetType} `, idCell(r.targetId)]) : h('span', { class: 'muted' }, '—'),
    },
    { key: 'sourceIp', title: t('audit.sourceIp'), render: (r) => monoCell(r.sourceIp) },
    {
      key: 'result',
      title: t('audit.result'),
      width: 110,
      render: (r) =>
        h(NTag, { size: 'small', bordered: false, type: RESULT_TYPE[r.result], title: r.errorCode ?? undefined }, { default: () => t(`audit.results.${r.result}`) }),
    },
  ];
}
