import { ArrowDownOutline, ArrowUpOutline, ReorderFourOutline } from '@vicons/ionicons5';
import type { RoutingRuleView } from '@opsline/contracts';
import { NButton, NIcon, NTag, type DataTableColumns } from 'naive-ui';
import { h, type Component, type VNode } from 'vue';
import { actionsCell, tagsCell } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';
import { enabledColumn } from '../../notify/shared/enabled-column';
import { matcherText } from '../shared/label-matchers';
import { severitiesText } from '../shared/severity';
import { windowText } from '../shared/time-window';

interface Ctx {
  t: Translate;
  canAdmin: boolean;
  count: number;
  toggling: ReadonlySet<string>;
  policyName: (id: string) => string;
  nodePath: (id: string) => string;
  onToggle: (r: RoutingRuleView, enabled: boolean) => void;
  onMove: (index: number, delta: number) => void;
  onEdit: (r: RoutingRuleView) => void;
  onDelete: (r: RoutingRuleView) => void;
}

const icon = (c: Component) => () => h(NIcon, null, { default: () => h(c) });

/** What a rule's match asks, as tags: severities, label matchers, node, windows; "every alert" when nothing. */
function conditions(r: RoutingRuleView, ctx: Ctx): VNode {
  const { t } = ctx;
  const parts = [
    ...(r.match.severities.length ? [severitiesText(r.match.severities)] : []),
    ...r.match.labels.map(matcherText),
    ...(r.match.nodeId ? [t('oncall.routing.underNode', { path: ctx.nodePath(r.match.nodeId) })] : []),
    ...r.match.timeWindows.map(windowText),
  ];
  return parts.length ? h('span', { 'data-testid': 'rule-row-match' }, [tagsCell(parts, 'info', 6)]) : h('span', { class: 'muted', 'data-testid': 'rule-row-match' }, t('oncall.routing.everyAlert'));
}

/** Rules in the order they are tried, with up/down (and drag) to reorder, their switch, and edit/delete. */
export function ruleColumns(ctx: Ctx): DataTableColumns<RoutingRuleView> {
  const { t } = ctx;
  const columns: DataTableColumns<RoutingRuleView> = [
    {
      key: 'order',
      title: '#',
      width: 64,
      render: (_r, i) =>
        h('span', { class: 'rule-order', 'data-testid': 'rule-row-order' }, [ctx.canAdmin ? h(NIcon, { class: 'rule-order__grip', component: ReorderFourOutline }) : null, String(i + 1)]),
    },
    {
      key: 'name',
      title: t('oncall.routing.name'),
      minWidth: 160,
      render: (r) => h('span', { class: 'oncall-name', 'data-testid': 'rule-row-name' }, r.name),
    },
    { key: 'match', title: t('oncall.routing.match'), minWidth: 260, render: (r) => conditions(r, ctx) },
    { key: 'policy', title: t('oncall.routing.policy'), minWidth: 140, render: (r) => h('span', { 'data-testid': 'rule-row-policy' }, ctx.policyName(r.escalationPolicyId)) },
    {
      key: 'flags',
      title: t('oncall.routing.then'),
      width: 150,
      render: (r) =>
        h('span', { class: 'rule-flags' }, [
          h(NTag, { size: 'small', bordered: false, type: r.continue ? 'warning' : 'default' }, { default: () => t(r.continue ? 'oncall.routing.continues' : 'oncall.routing.stops') }),
          r.selfHeal ? h(NTag, { size: 'small', bordered: false, type: 'success', 'data-testid': 'rule-row-self-heal' }, { default: () => t('oncall.routing.selfHealTag') }) : null,
        ]),
    },
    enabledColumn<RoutingRuleView>({ title: t('oncall.enabled'), canChange: ctx.canAdmin, toggling: ctx.toggling, testId: 'rule-row-enabled', onToggle: ctx.onToggle }),
  ];
  if (ctx.canAdmin) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      width: 170,
      align: 'right',
      render: (r, i) =>
        h('span', { class: 'rule-actions' }, [
          h(NButton, { size: 'tiny', quaternary: true, disabled: i === 0, title: t('oncall.moveUp'), 'data-testid': 'rule-move-up', onClick: () => ctx.onMove(i, -1) }, { icon: icon(ArrowUpOutline) }),
          h(NButton, { size: 'tiny', quaternary: true, disabled: i === ctx.count - 1, title: t('oncall.moveDown'), 'data-testid': 'rule-move-down', onClick: () => ctx.onMove(i, 1) }, { icon: icon(ArrowDownOutline) }),
          actionsCell({ key: 'edit', label: t('common.edit'), run: () => ctx.onEdit(r) }, [{ key: 'delete', label: t('common.delete'), danger: true, run: () => ctx.onDelete(r) }], 'rule'),
        ]),
    });
  }
  return columns;
}
