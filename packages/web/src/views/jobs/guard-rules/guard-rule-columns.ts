import type { GuardRuleView } from '@opsline/contracts';
import { NSwitch, NTag, type DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { actionsCell, statusTag } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';

interface Ctx {
  t: Translate;
  canAdmin: boolean;
  /** Rules whose switch is being saved. */
  busy: ReadonlySet<string>;
  onToggle: (rule: GuardRuleView, enabled: boolean) => void;
  onEdit: (rule: GuardRuleView) => void;
  onDelete: (rule: GuardRuleView) => void;
}

/** The guard's rules: a regular expression tried on each line of a script, and what a match does. */
export function guardRuleColumns(ctx: Ctx): DataTableColumns<GuardRuleView> {
  const { t } = ctx;
  const columns: DataTableColumns<GuardRuleView> = [
    {
      key: 'name',
      title: t('jobs.guardRules.name'),
      minWidth: 170,
      render: (r) =>
        h('span', { class: 'guard-rule__name' }, [
          h('span', { 'data-testid': 'guard-rule-row-name' }, r.name),
          r.builtin ? h(NTag, { size: 'tiny', bordered: false }, { default: () => t('jobs.guardRules.builtin') }) : null,
        ]),
    },
    { key: 'pattern', title: t('jobs.guardRules.pattern'), minWidth: 220, ellipsis: { tooltip: true }, render: (r) => h('code', null, r.pattern) },
    {
      key: 'action',
      title: t('jobs.guardRules.action'),
      width: 100,
      render: (r) => statusTag(t(`jobs.guardRules.actions.${r.action}`), r.action === 'block' ? 'error' : 'warning', 'guard-rule-row-action'),
    },
    {
      key: 'enabled',
      title: t('jobs.guardRules.enabled'),
      width: 90,
      render: (r) =>
        ctx.canAdmin
          ? h(NSwitch, { value: r.enabled, size: 'small', loading: ctx.busy.has(r.id), 'data-testid': 'guard-rule-row-enabled', onUpdateValue: (v: boolean) => ctx.onToggle(r, v) })
          : statusTag(r.enabled ? t('jobs.guardRules.on') : t('jobs.guardRules.off'), r.enabled ? 'success' : 'default', 'guard-rule-row-enabled'),
    },
    { key: 'description', title: t('jobs.guardRules.descriptionLabel'), minWidth: 240, ellipsis: { tooltip: true }, render: (r) => r.description || h('span', { class: 'muted' }, '—') },
  ];
  if (ctx.canAdmin) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      width: 110,
      align: 'right',
      render: (r) =>
        actionsCell(
          { key: 'edit', label: t('common.edit'), run: () => ctx.onEdit(r) },
          r.builtin ? [] : [{ key: 'delete', label: t('common.delete'), danger: true, run: () => ctx.onDelete(r) }],
          'guard-rule',
        ),
    });
  }
  return columns;
}
