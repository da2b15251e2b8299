import type { InhibitRuleView } from '@opsline/contracts';
import { NSwitch, type DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { actionsCell, statusTag, tagsCell, timeCell } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';
import { matcherText } from '../../incidents/grouping-rules/grouping-rule-form';
import { inhibitScopeText } from './inhibit-rule-form';

interface Ctx {
  t: Translate;
  canWrite: boolean;
  /** Rules whose switch is being saved. */
  toggling: ReadonlySet<string>;
  onToggle: (r: InhibitRuleView, enabled: boolean) => void;
  onEdit: (r: InhibitRuleView) => void;
  onDelete: (r: InhibitRuleView) => void;
}

/** Inhibition rules, oldest first: while a source alert fires, which alerts in its scope page nobody. */
export function inhibitRuleColumns(ctx: Ctx): DataTableColumns<InhibitRuleView> {
  const { t } = ctx;
  const columns: DataTableColumns<InhibitRuleView> = [
    { key: 'name', title: t('alerts.inhibitRules.name'), minWidth: 180, render: (r) => h('span', { class: 'inhibit-rule__name', 'data-testid': 'inhibit-rule-row-name' }, r.name) },
    { key: 'scope', title: t('alerts.inhibitRules.scope'), width: 100, render: (r) => statusTag(inhibitScopeText(r.scope), 'default', 'inhibit-rule-row-scope') },
    { key: 'source', title: t('alerts.inhibitRules.source'), minWidth: 200, render: (r) => h('span', { 'data-testid': 'inhibit-rule-row-source' }, [tagsCell(r.source.map(matcherText), 'warning')]) },
    {
      key: 'target',
      title: t('alerts.inhibitRules.target'),
      minWidth: 200,
      render: (r) =>
        h('span', { 'data-testid': 'inhibit-rule-row-target' }, [
          r.target.length === 0 ? h('span', { class: 'muted' }, t('alerts.inhibitRules.anyTarget')) : tagsCell(r.target.map(matcherText), 'info'),
        ]),
    },
    { key: 'equal', title: t('alerts.inhibitRules.equal'), minWidth: 140, render: (r) => h('span', { 'data-testid': 'inhibit-rule-row-equal' }, [tagsCell(r.equal)]) },
    {
      key: 'enabled',
      title: t('alerts.inhibitRules.enabled'),
      width: 80,
      render: (r) =>
        ctx.canWrite
          ? h(NSwitch, { value: r.enabled, size: 'small', loading: ctx.toggling.has(r.id), 'data-testid': 'inhibit-rule-row-enabled', onUpdateValue: (v: boolean) => ctx.onToggle(r, v) })
          : statusTag(t(r.enabled ? 'alerts.inhibitRules.on' : 'alerts.inhibitRules.off'), r.enabled ? 'success' : 'default', 'inhibit-rule-row-enabled'),
    },
    {
      key: 'created',
      title: t('alerts.inhibitRules.createdByAt'),
      width: 160,
      render: (r) => h('div', { class: 'alert-cell__stack' }, [h('span', { 'data-testid': 'inhibit-rule-row-created-by' }, r.createdBy), h('span', { class: 'muted alert-cell__sub' }, [timeCell(r.createdAt)])]),
    },
  ];
  if (ctx.canWrite) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      width: 110,
      align: 'right',
      render: (r) => actionsCell({ key: 'edit', label: t('common.edit'), run: () => ctx.onEdit(r) }, [{ key: 'delete', label: t('common.delete'), danger: true, run: () => ctx.onDelete(r) }], 'inhibit-rule'),
    });
  }
  return columns;
}
