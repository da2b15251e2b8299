import type { ApiError } from '../../api/client';
import type { TreeNodeView } from '@opsline/contracts';

/** What deleting a node with everything below would take away. */
export interface CascadeBound {
  children: number;
  descendants: number;
  grants: number;
}

/** Read from the server's TREE_NODE_NOT_EMPTY details, with the node's own child count as a fallback. */
export function boundOf(err: ApiError, node: TreeNodeView): CascadeBound {
  const d = (typeof err.details === 'object' && err.details !== null ? err.details : {}) as Record<string, unknown>;
  const num = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : fallback);
  return { children: num(d.children, node.childCount), descendants: num(d.descendants, node.childCount), grants: num(d.grants, 0) };
}
