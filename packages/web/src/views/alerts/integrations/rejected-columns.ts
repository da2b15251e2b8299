import type { RejectedPayloadView } from '@opsline/contracts';
import type { DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { statusTag, timeCell } from '../../../platform/components/cells';
import { bytesText } from '../../../platform/format/bytes';
import { prettyJson } from '../../../platform/format/json';
import type { Translate } from '../../../platform/i18n';

/** The body as it came, pretty when it is JSON after all. */
function bodyText(body: string): string {
  try {
    return prettyJson(JSON.parse(body));
  } catch {
    return body;
  }
}

/** Refused payloads, newest first: when, why, how big; a row opens to the body as received. */
export function rejectedColumns(t: Translate): DataTableColumns<RejectedPayloadView> {
  return [
    { type: 'expand', renderExpand: (r) => h('pre', { class: 'rejected-body mono', 'data-testid': 'rejected-body' }, bodyText(r.body) || t('alerts.integrations.rejected.emptyBody')) },
    { key: 'receivedAt', title: t('alerts.integrations.rejected.receivedAt'), width: 170, render: (r) => timeCell(r.receivedAt) },
    { key: 'reason', title: t('alerts.integrations.rejected.reason'), minWidth: 260, render: (r) => h('span', { class: 'mono', 'data-testid': 'rejected-reason' }, r.reason) },
    {
      key: 'bytes',
      title: t('alerts.integrations.rejected.size'),
      width: 140,
      render: (r) => h('span', { class: 'nowrap' }, [bytesText(r.bytes), r.truncated ? [' ', statusTag(t('alerts.integrations.rejected.truncated'), 'warning', 'rejected-truncated')] : null]),
    },
  ];
}
