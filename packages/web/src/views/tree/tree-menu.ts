import type { TreeNodeView } from '@opsline/contracts';
import type { DropdownOption } from 'naive-ui';
import type { Translate } from '../../platform/i18n';
import { testId } from '../../platform/test-id';

/** What the right-click menu can do to a node. */
export type TreeMenuKey = 'add' | 'rename' | 'edit' | 'move' | 'copy' | 'delete';

const item = (key: TreeMenuKey, label: string, extra: Partial<DropdownOption> = {}): DropdownOption => ({
  key,
  label,
  props: testId(`tree-menu-${key}`),
  ...extra,
});

/**
 * The right-click menu of `node`: changes only for those who may make them,
 * and never on a path-only node (read-only for you); copying its path always.
 */
export function treeMenuOptions(node: TreeNodeView, canWrite: boolean, t: Translate): DropdownOption[] {
  const write = canWrite && !node.pathOnly;
  const copy = item('copy', t('tree.copyPath'));
  if (!write) return [copy];
  return [
    item('add', t('tree.menu.addChild'), { disabled: node.isLeaf }),
    item('rename', t('tree.menu.rename')),
    item('edit', t('tree.menu.edit')),
    item('move', t('tree.menu.move')),
    { type: 'divider', key: 'd1' },
    copy,
    { type: 'divider', key: 'd2' },
    { ...item('delete', t('tree.menu.delete')), props: { ...testId('tree-menu-delete'), class: 'dropdown-danger' } },
  ];
}
