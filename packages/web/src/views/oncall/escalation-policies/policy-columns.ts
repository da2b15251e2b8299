import type { EscalationPolicyView, EscalationTarget } from '@opsline/contracts';
import type { DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { actionsCell, tagsCell, timeCell } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';

interface Ctx {
  t: Translate;
  canAdmin: boolean;
  targetLabel: (target: EscalationTarget) => string;
  usedBy: (policyId: string) => string[];
  onEdit: (p: EscalationPolicyView) => void;
  onDelete: (p: EscalationPolicyView) => void;
}

/** Policies: each level with who it pages and how long it waits, the repeats, and the routing rules that use it. */
export function policyColumns(ctx: Ctx): DataTableColumns<EscalationPolicyView> {
  const { t } = ctx;
  const columns: DataTableColumns<EscalationPolicyView> = [
    { key: 'name', title: t('oncall.policies.name'), minWidth: 160, render: (p) => h('span', { class: 'oncall-name', 'data-testid': 'policy-row-name' }, p.name) },
    {
      key: 'levels',
      title: t('oncall.policies.levels'),
      minWidth: 320,
      render: (p) =>
        h(
          'div',
          { class: 'policy-levels', 'data-testid': 'policy-row-levels' },
          p.levels.map((l, i) =>
            h('div', { class: 'policy-levels__level', 'data-testid': 'policy-row-level' }, [
              h('span', { class: 'policy-levels__n' }, t('oncall.policies.levelShort', { n: i + 1, minutes: l.delayMinutes })),
              tagsCell(l.targets.map(ctx.targetLabel), 'info', 3),
            ]),
          ),
        ),
    },
    { key: 'repeat', title: t('oncall.policies.repeat'), width: 90, render: (p) => t('oncall.policies.repeatValue', { n: p.repeat }) },
    {
      key: 'usedBy',
      title: t('oncall.policies.usedBy'),
      minWidth: 160,
      render: (p) => {
        const names = ctx.usedBy(p.id);
        return names.length ? h('span', { 'data-testid': 'policy-row-used-by' }, [tagsCell(names)]) : h('span', { class: 'muted', 'data-testid': 'policy-row-used-by' }, t('oncall.policies.unused'));
      },
    },
    { key: 'updatedAt', title: t('oncall.updatedAt'), width: 170, render: (p) => timeCell(p.updatedAt) },
  ];
  if (ctx.canAdmin) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      width: 110,
      align: 'right',
      render: (p) => actionsCell({ key: 'edit', label: t('common.edit'), run: () => ctx.onEdit(p) }, [{ key: 'delete', label: t('common.delete'), danger: true, run: () => ctx.onDelete(p) }], 'policy'),
    });
  }
  return columns;
}
