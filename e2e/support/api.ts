import type { APIResponse, BrowserContext } from 'playwright-core';

/**
 * A change through the API as the signed-in browser does it: the session
 * cookie, and the CSRF token from its cookie.
 */
export async function apiChange(context: BrowserContext, method: 'POST' | 'PATCH' | 'DELETE', path: string, data: unknown = {}): Promise<APIResponse> {
  const csrf = (await context.cookies()).find((c) => c.name === 'opsline_csrf')?.value ?? '';
  return context.request.fetch(path, { method, headers: { 'X-CSRF-Token': csrf }, data });
}
