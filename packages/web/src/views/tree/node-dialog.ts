import type { TreeNodeView } from '@opsline/contracts';

/**
 * What the node dialog does: add a root (`parent` null) or a child, rename a
 * node (the name only), or edit its details (icon, leaf, description).
 */
export type NodeDialog =
  | { mode: 'create'; parent: TreeNodeView | null }
  | { mode: 'rename'; node: TreeNodeView }
  | { mode: 'edit'; node: TreeNodeView };
