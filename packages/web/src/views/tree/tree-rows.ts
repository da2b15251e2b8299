import { HardwareChipOutline, LockClosedOutline } from '@vicons/ionicons5';
import type { TreeNodeView } from '@opsline/contracts';
import { NIcon, type TreeOption } from 'naive-ui';
import { h, type VNodeChild } from 'vue';
import type { Translate } from '../../platform/i18n';
import { treeIconOf } from './tree-icons';
import type { NodeOption } from './useServiceTree';

/**
 * How a tree row looks: the name, how many children a group has, how many
 * hosts are bound below (when any), and a lock on a path-only node.
 */
export function treeRowRenderers(t: Translate) {
  function renderLabel({ option }: { option: TreeOption }): VNodeChild {
    const o = option as NodeOption;
    if (o.more) return h('span', { class: 'tree-row__more', 'data-testid': 'tree-load-more' }, t('tree.loadMore'));
    const node = o.node as TreeNodeView;
    return h('span', { class: ['tree-row', { 'tree-row--path-only': node.pathOnly }], title: node.pathOnly ? t('tree.pathOnly.title') : undefined }, [
      h('span', { class: 'tree-row__name', 'data-testid': 'tree-node-name' }, node.name),
      !node.isLeaf && node.childCount > 0 ? h('span', { class: 'tree-row__count', title: t('tree.childCount', { n: node.childCount }, node.childCount) }, String(node.childCount)) : null,
      node.hostCount ? hostCount(node.hostCount) : null,
    ]);
  }

  function hostCount(n: number): VNodeChild {
    return h('span', { class: 'tree-row__hosts', title: t('tree.hostCount', { n }, n), 'data-testid': 'tree-node-hosts' }, [
      h(NIcon, { component: HardwareChipOutline, size: 11 }),
      String(n),
    ]);
  }

  function renderPrefix({ option }: { option: TreeOption }): VNodeChild {
    const node = (option as NodeOption).node;
    if (!node) return null;
    const icon = h(NIcon, { component: treeIconOf(node.icon), size: 16, class: 'tree-row__icon' });
    if (!node.pathOnly) return icon;
    return h('span', { class: 'tree-row__locked' }, [icon, h(NIcon, { component: LockClosedOutline, size: 10, class: 'tree-row__lock', 'data-testid': 'tree-node-lock' })]);
  }

  return { renderLabel, renderPrefix };
}
