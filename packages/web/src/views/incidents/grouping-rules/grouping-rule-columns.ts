import type { GroupingRuleView } from '@opsline/contracts';
import type { DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { actionsCell, statusTag, tagsCell } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';
import { matcherText } from './grouping-rule-form';

interface Ctx {
  t: Translate;
  canAdmin: boolean;
  onEdit: (rule: GroupingRuleView) => void;
  onDelete: (rule: GroupingRuleView) => void;
}

/** Grouping rules in the order they are tried: what they match, how they split, over how long. */
export function groupingRuleColumns(ctx: Ctx): DataTableColumns<GroupingRuleView> {
  const { t } = ctx;
  const columns: DataTableColumns<GroupingRuleView> = [
    { key: 'order', title: t('incidents.groupingRules.order'), width: 70, render: (r) => h('span', { class: 'nowrap', 'data-testid': 'grouping-rule-row-order' }, String(r.order)) },
    { key: 'name', title: t('incidents.groupingRules.name'), minWidth: 160, render: (r) => h('span', { class: 'grouping-rule__name', 'data-testid': 'grouping-rule-row-name' }, r.name) },
    {
      key: 'match',
      title: t('incidents.groupingRules.matchers'),
      minWidth: 240,
      render: (r) => (r.match.length === 0 ? h('span', { class: 'muted' }, t('incidents.groupingRules.matchAll')) : h('span', { 'data-testid': 'grouping-rule-row-match' }, [tagsCell(r.match.map(matcherText), 'info')])),
    },
    { key: 'groupBy', title: t('incidents.groupingRules.groupBy'), minWidth: 180, render: (r) => h('span', { 'data-testid': 'grouping-rule-row-group-by' }, [tagsCell(r.groupBy)]) },
    { key: 'window', title: t('incidents.groupingRules.window'), width: 110, render: (r) => t('incidents.groupingRules.windowValue', { n: r.windowMinutes }) },
    {
      key: 'enabled',
      title: t('incidents.groupingRules.enabled'),
      width: 90,
      render: (r) => statusTag(r.enabled ? t('incidents.groupingRules.on') : t('incidents.groupingRules.off'), r.enabled ? 'success' : 'default', 'grouping-rule-row-enabled'),
    },
  ];
  if (ctx.canAdmin) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      width: 110,
      align: 'right',
      render: (r) =>
        actionsCell({ key: 'edit', label: t('common.edit'), run: () => ctx.onEdit(r) }, [{ key: 'delete', label: t('common.delete'), danger: true, run: () => ctx.onDelete(r) }], 'grouping-rule'),
    });
  }
  return columns;
}
