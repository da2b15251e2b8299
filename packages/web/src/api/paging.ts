import type { Page } from '@opsline/contracts';

/** Query of a list endpoint: `limit`, `cursor` and the endpoint's filters. */
export type PageParams<F extends object = object> = F & { limit?: number; cursor?: string | null };

export type PageFetcher<T, F extends object = object> = (params: PageParams<F>) => Promise<Page<T>>;

/**
 * Walk every page of a list, for the small directories the console keeps for
 * pickers (users, teams, roles). `maxItems` caps it so a huge install stays usable.
 */
export async function fetchAllPages<T>(fetchPage: PageFetcher<T>, maxItems = 5000): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await fetchPage({ limit: 500, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < maxItems);
  return items;
}
