import { reactive } from 'vue';
import { getTreeNode } from '../../../api/tree';
import { useAuthStore } from '../../../platform/auth/store';
import { shortId } from '../../../platform/format/id';

/**
 * Service-tree paths of the nodes a list shows (alerts name only the id),
 * read once each and kept while the page is open. Without tree:read, or for
 * a node that is gone, the short id stands in.
 */
export function useNodePaths() {
  const auth = useAuthStore();
  const paths = reactive(new Map<string, string | null>());

  function ensure(ids: readonly (string | null)[]): void {
    if (!auth.can('tree:read')) return;
    for (const id of new Set(ids)) {
      if (!id || paths.has(id)) continue;
      paths.set(id, null);
      void getTreeNode(id)
        .then((node) => paths.set(id, node.path))
        .catch(() => undefined);
    }
  }

  const pathOf = (id: string | null): string | null => (id ? (paths.get(id) ?? shortId(id)) : null);
  return { ensure, pathOf };
}
