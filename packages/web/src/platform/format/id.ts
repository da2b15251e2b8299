/**
 * A long id shortened for a table cell. Ids are UUIDv7, whose first digits are
 * a timestamp shared by everything made the same minute: keep the random tail.
 */
export function shortId(id: string | null | undefined): string {
  if (!id) return '';
  return id.length > 12 ? `…${id.slice(-8)}` : id;
}
