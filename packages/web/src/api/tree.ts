import type {
  CreateTreeNodeBody,
  EffectivePermissions,
  MoveTreeNodeBody,
  Page,
  TreeNodeListQuery,
  TreeNodeView,
  UpdateTreeNodeBody,
} from '@opsline/contracts';
import { http, pathOf, request } from './client';
import type { PageParams } from './paging';

const NODES = '/tree/nodes';

/** Children of `parentId`, or the roots without it; sorted by name, paged. */
export const listTreeNodes = (params: PageParams<Pick<TreeNodeListQuery, 'parentId'>> = {}) =>
  http.get<Page<TreeNodeView>>(NODES, { ...params });

export const getTreeNode = (id: string) => http.get<TreeNodeView>(pathOf(NODES, id));

export const createTreeNode = (body: CreateTreeNodeBody) => http.post<TreeNodeView>(NODES, body);

/** A new name renames the node and every path below it. */
export const updateTreeNode = (id: string, body: UpdateTreeNodeBody) => http.patch<TreeNodeView>(pathOf(NODES, id), body);

/** `parentId` null makes the node a root. */
export const moveTreeNode = (id: string, body: MoveTreeNodeBody) => http.post<TreeNodeView>(`${pathOf(NODES, id)}/move`, body);

/** Without `cascade` a node with children is refused (409 TREE_NODE_NOT_EMPTY, `details.children`). */
export const deleteTreeNode = (id: string, cascade = false) =>
  request<{ ok: true; deleted: number }>('DELETE', pathOf(NODES, id), { query: { cascade: cascade ? 'true' : 'false' } });

/** Nodes whose name or path matches `q`. */
export const searchTree = (q: string, limit = 20) => http.get<{ items: TreeNodeView[] }>('/tree/search', { q, limit });

/** Which grants give a user (default: you) what on this node, and where each comes from. */
export const getEffectivePermissions = (id: string, userId?: string | null) =>
  http.get<EffectivePermissions>(`${pathOf(NODES, id)}/permissions`, { user: userId });
