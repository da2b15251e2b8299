import type { APIResponse, BrowserContext } from 'playwright-core';

/**
 * A change through the API as the signed-in browser does it: the session
 * cookie, and the CSRF token from its cookie.
 */
export async function apiChange(context: BrowserContext, method: 'POST' | 'PATCH' | 'DELETE', path: string, data: unknown = {}): Promise<APIResponse> {
  const csrf = (await context.cookies()).find((c) => c.name === 'opsline_csrf')?.value ?? '';
  return context.request.fetch(path, { method, headers: { 'X-CSRF-Token': csrf }, data });
}

/** What the API answers for a service-tree node (the fields the tests look at). */
export interface TreeNode {
  id: string;
  parentId: string | null;
  name: string;
  path: string;
}

/** Adds a service-tree node through the API as the signed-in browser; fails unless the server says 201. */
export async function createTreeNode(
  context: BrowserContext,
  body: { name: string; parentId?: string | null; isLeaf?: boolean; icon?: string; description?: string },
): Promise<TreeNode> {
  const res = await apiChange(context, 'POST', '/api/v1/tree/nodes', body);
  if (res.status() !== 201) throw new Error(`creating tree node ${body.name}: HTTP ${res.status()} ${await res.text()}`);
  return (await res.json()) as TreeNode;
}
