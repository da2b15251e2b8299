import type { ApiError } from '../../api/client';
import type { TreeNodeView } from '@opsline/contracts';

/** What deleting a node with everything below would take away. */
export interface CascadeBound {
  children: number;
  descendants: number;
  grants: number;
  /** Host bindings that would go (the hosts stay in the CMDB). */
  hosts: number;
  /** Apps that would lose their node and wait to be placed again. */
  apps: number;
}

export const NOTHING_BOUND: CascadeBound = { children: 0, descendants: 0, grants: 0, hosts: 0, apps: 0 };

/** Read from the server's TREE_NODE_NOT_EMPTY details, with the node's own counts as a fallback. */
export function boundOf(err: ApiError, node: TreeNodeView): CascadeBound {
  const d = (typeof err.details === 'object' && err.details !== null ? err.details : {}) as Record<string, unknown>;
  const num = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : fallback);
  return {
    children: num(d.children, node.childCount),
    descendants: num(d.descendants, node.childCount),
    grants: num(d.grants, 0),
    hosts: num(d.hosts, node.hostCount ?? 0),
    apps: num(d.apps, 0),
  };
}
