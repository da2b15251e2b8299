import type { SilenceView } from '@opsline/contracts';
import type { DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { actionsCell, tagsCell, timeCell, type RowAction } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';
import { matcherText } from '../../incidents/grouping-rules/grouping-rule-form';
import { recurrenceText, silenceStateTags } from './silence-text';

interface Ctx {
  t: Translate;
  canWrite: boolean;
  onEdit: (s: SilenceView) => void;
  onExpire: (s: SilenceView) => void;
  onDelete: (s: SilenceView) => void;
}

/** Silences, newest first: what they match, when, in which weekly window, and why. */
export function silenceColumns(ctx: Ctx): DataTableColumns<SilenceView> {
  const { t } = ctx;
  const columns: DataTableColumns<SilenceView> = [
    { key: 'state', title: t('alerts.silences.state'), width: 150, render: silenceStateTags },
    { key: 'matchers', title: t('alerts.silences.matchers'), minWidth: 240, render: (s) => h('span', { 'data-testid': 'silence-row-matchers' }, [tagsCell(s.matchers.map(matcherText), 'info', 6)]) },
    {
      key: 'range',
      title: t('alerts.silences.range'),
      width: 200,
      render: (s) => h('div', { class: 'silence-cell__range' }, [timeCell(s.startsAt), h('span', { class: 'muted' }, t('alerts.silences.until')), timeCell(s.endsAt)]),
    },
    {
      key: 'recurrence',
      title: t('alerts.silences.recurrence'),
      width: 220,
      render: (s) => (s.recurrence ? h('span', { 'data-testid': 'silence-row-recurrence' }, recurrenceText(s.recurrence)) : h('span', { class: 'muted' }, t('alerts.silences.wholeRange'))),
    },
    { key: 'comment', title: t('alerts.silences.comment'), minWidth: 180, ellipsis: { tooltip: true }, render: (s) => h('span', { 'data-testid': 'silence-row-comment' }, s.comment) },
    { key: 'createdBy', title: t('alerts.silences.createdBy'), width: 110 },
  ];
  if (ctx.canWrite) {
    const more = (s: SilenceView): RowAction[] => [
      ...(s.state !== 'expired' ? [{ key: 'expire', label: t('alerts.silences.expire'), run: () => ctx.onExpire(s) }] : []),
      { key: 'delete', label: t('common.delete'), danger: true, run: () => ctx.onDelete(s) },
    ];
    columns.push({ key: 'actions', title: t('common.actions'), width: 110, align: 'right', render: (s) => actionsCell({ key: 'edit', label: t('common.edit'), run: () => ctx.onEdit(s) }, more(s), 'silence') });
  }
  return columns;
}
