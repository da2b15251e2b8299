import type { TreeNodeView } from '@opsline/contracts';
import type { TreeOption } from 'naive-ui';
import { ref, shallowRef } from 'vue';
import { listTreeNodes } from '../../api/tree';

/** Children asked for at a time; a "load more" row fetches the next page. */
export const TREE_PAGE_SIZE = 100;

/** One row of the n-tree: a node, or the "load more" row at the end of a paged child list. */
export interface NodeOption extends TreeOption {
  key: string;
  label: string;
  isLeaf: boolean;
  children?: NodeOption[];
  /** The node; absent on a "load more" row. */
  node?: TreeNodeView;
  /** On a "load more" row: whose children, and where the next page starts. */
  more?: { parentId: string | null; cursor: string };
}

const MORE_PREFIX = 'more:';

function nodeOption(node: TreeNodeView): NodeOption {
  // A group without children yet has nothing to expand: no expander either.
  return { key: node.id, label: node.name, isLeaf: node.isLeaf || node.childCount === 0, node };
}

function moreOption(parentId: string | null, cursor: string): NodeOption {
  return { key: `${MORE_PREFIX}${parentId ?? 'roots'}`, label: '', isLeaf: true, more: { parentId, cursor } };
}

function pageOptions(items: TreeNodeView[], parentId: string | null, nextCursor: string | null): NodeOption[] {
  const options = items.map(nodeOption);
  if (nextCursor) options.push(moreOption(parentId, nextCursor));
  return options;
}

/**
 * The loaded part of the service tree for a lazy n-tree: roots first, each
 * node's children when it is expanded (or revealed by a search), a page at a
 * time. Structural changes reload what is shown, keeping the expanded nodes.
 */
export function useServiceTree() {
  const roots = ref<NodeOption[]>([]);
  const expandedKeys = ref<string[]>([]);
  const loading = ref(false);
  const error = shallowRef<unknown>(null);

  function walk(list: NodeOption[] | undefined, visit: (o: NodeOption) => boolean): NodeOption | null {
    for (const option of list ?? []) {
      if (visit(option)) return option;
      const found = walk(option.children, visit);
      if (found) return found;
    }
    return null;
  }

  /** The loaded option of node `id` (the reactive one, so changes show). */
  const find = (id: string): NodeOption | null => walk(roots.value, (o) => o.key === id);

  async function fetchChildren(parentId: string | null, cursor: string | null = null): Promise<NodeOption[]> {
    const page = await listTreeNodes({ parentId: parentId ?? undefined, limit: TREE_PAGE_SIZE, cursor });
    return pageOptions(page.items, parentId, page.nextCursor);
  }

  /** Fetch `option`'s first page of children (n-tree's on-load, and a reveal). */
  async function loadChildren(option: NodeOption): Promise<void> {
    if (!option.node) return;
    const children = await fetchChildren(option.node.id);
    option.children = children;
    option.isLeaf = option.node.isLeaf || children.length === 0;
  }

  /** Replace a "load more" row by the next page (and a new row when there is yet more). */
  async function loadMore(more: NodeOption): Promise<void> {
    if (!more.more) return;
    const { parentId, cursor } = more.more;
    const next = await fetchChildren(parentId, cursor);
    const siblings = parentId === null ? roots.value : find(parentId)?.children;
    if (!siblings) return;
    const at = siblings.findIndex((o) => o.key === more.key);
    if (at >= 0) siblings.splice(at, 1, ...next);
  }

  /**
   * Load the roots and the children of every node still expanded, top down,
   * then show the result at once. Expanded nodes that are gone are forgotten.
   */
  async function reload(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      const fresh = await fetchChildren(null);
      const wanted = new Set(expandedKeys.value);
      const open: string[] = [];
      // Breadth first: a node's children are loaded before theirs are looked for.
      const queue = [...fresh];
      while (queue.length > 0) {
        const option = queue.shift() as NodeOption;
        if (!option.node || !wanted.has(option.key) || option.node.childCount === 0) continue;
        option.children = await fetchChildren(option.node.id);
        option.isLeaf = option.node.isLeaf || option.children.length === 0;
        open.push(option.key);
        queue.push(...option.children);
      }
      roots.value = fresh;
      expandedKeys.value = open;
    } catch (err) {
      error.value = err;
    } finally {
      loading.value = false;
    }
  }

  function collapseAll(): void {
    expandedKeys.value = [];
  }

  /**
   * Open the tree down to the node at `path` (`infra.k8s.prod-01`): each
   * ancestor by name among its parent's children, loading them (and further
   * pages) as needed. Returns the node's option, or null when it is not there.
   */
  async function reveal(path: string): Promise<NodeOption | null> {
    const names = path.split('.');
    let siblings = roots.value;
    let found: NodeOption | null = null;
    for (const [depth, name] of names.entries()) {
      found = siblings.find((o) => o.node?.name === name) ?? null;
      while (!found) {
        const more = siblings.find((o) => o.more);
        if (!more) return null;
        await loadMore(more);
        found = siblings.find((o) => o.node?.name === name) ?? null;
      }
      if (depth === names.length - 1) break;
      if (!found.children) await loadChildren(found);
      if (!expandedKeys.value.includes(found.key)) expandedKeys.value = [...expandedKeys.value, found.key];
      siblings = found.children ?? [];
    }
    return found;
  }

  /** After a change to one node that leaves paths alone (icon, description): show it. */
  function replaceNode(node: TreeNodeView): void {
    const option = find(node.id);
    if (!option) return;
    option.node = node;
    option.label = node.name;
    option.isLeaf = node.isLeaf || (option.children ? option.children.length === 0 : node.childCount === 0);
  }

  return { roots, expandedKeys, loading, error, find, loadChildren, loadMore, reload, collapseAll, reveal, replaceNode };
}

export type ServiceTree = ReturnType<typeof useServiceTree>;
