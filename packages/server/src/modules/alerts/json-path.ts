/** A JSON path as WebhookMapping spells it (`a.b[0].c`, `a.b.0.c`, `$.a.b`), as its segments. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.replace(/^\$\./, '').split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(/^\d+$/.test(m[1]) ? Number(m[1]) : m[1]);
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** The value at the segments; undefined where the path leads nowhere. Own properties only. */
export function valueAt(root: unknown, segments: (string | number)[]): unknown {
  let cur: unknown = root;
  for (const seg of segments) {
    if (cur === null || typeof cur !== 'object') return undefined;
    // `list.name` on an array leads nowhere (not to its length).
    if (Array.isArray(cur) && typeof seg !== 'number') return undefined;
    const key = String(seg);
    if (!Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** How a 400 names the place: `body.alerts.0.title`. */
export const fieldName = (segments: (string | number)[]): string => ['body', ...segments.map(String)].join('.');
